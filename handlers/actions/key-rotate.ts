// "Rotate" on a key (`/access-key list`, the Home tab): a new key is offered to its owner
// with "Reveal once"; the old one works for ACCESS_KEY_ROTATION_GRACE_SECONDS more.
import type { HandlerContext } from '../context.js';
import { keyClick } from '../flows/key-list.js';
import type { ButtonArgs } from '../reply.js';

export function keyRotateClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  return keyClick(ctx, args, 'rotate');
}
