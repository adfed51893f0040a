// "I lost it" on a key (after a confirm): a new key is offered to its owner with "Reveal
// once", and the lost one is revoked at once (Rotate is how one asks for the grace).
import type { HandlerContext } from '../context.js';
import { keyClick } from '../flows/key-list.js';
import type { ButtonArgs } from '../reply.js';

export function keyReplaceLostClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  return keyClick(ctx, args, 'replace_lost');
}
