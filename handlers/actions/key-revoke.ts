// "Revoke" on a key (Slack asked "are you sure?" first): it stops working at once.
import type { HandlerContext } from '../context.js';
import { keyClick } from '../flows/key-list.js';
import type { ButtonArgs } from '../reply.js';

export function keyRevokeClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  return keyClick(ctx, args, 'revoke');
}
