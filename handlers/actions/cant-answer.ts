// "I can't answer my security question or PIN" (the /password modal): a person verifies
// them instead, through a manual_verification ticket an admin marks verified.
import type { HandlerContext } from '../context.js';
import { requestClick } from '../flows/approval-request.js';
import type { ButtonArgs } from '../reply.js';

export function cantAnswerClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  return requestClick(ctx, args, 'manual_verification');
}
