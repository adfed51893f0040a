// "Reset my MFA" (Home tab) and "Ask for an enrolment link" (/login-help): the same request as `/mfa-reset`.
import type { HandlerContext } from '../context.js';
import { requestClick } from '../flows/approval-request.js';
import type { ButtonArgs } from '../reply.js';

export function mfaRequestClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  return requestClick(ctx, args, 'mfa_reset');
}
