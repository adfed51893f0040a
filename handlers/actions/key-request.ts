// "Request an access key" (Home tab): the same request as `/access-key`.
import type { HandlerContext } from '../context.js';
import { requestClick } from '../flows/approval-request.js';
import type { ButtonArgs } from '../reply.js';

export function keyRequestClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  return requestClick(ctx, args, 'access_key');
}
