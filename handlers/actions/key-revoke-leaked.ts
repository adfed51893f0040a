// "Revoke as leaked" (after a confirm): the key stops working at once, its owner is told
// (email and DM) and a ticket's card is posted in the helpdesk channel.
import type { HandlerContext } from '../context.js';
import { keyClick } from '../flows/key-list.js';
import type { ButtonArgs } from '../reply.js';

export function keyRevokeLeakedClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  return keyClick(ctx, args, 'revoke_leaked');
}
