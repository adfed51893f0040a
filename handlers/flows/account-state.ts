// The viewer's login state, as /login-help works it out, for the Home tab and the
// "Why can't I log in?" button.
import { recentAttempts } from '../../src/core/login-attempts.js';
import type { AccountRow } from '../../src/store/schema.js';
import { loginHelpState, type LoginHelpState } from '../blocks/login-help.js';
import type { HandlerContext } from '../context.js';

export async function loginStateOf(ctx: HandlerContext, account: AccountRow, options: { withAttempts: boolean }): Promise<LoginHelpState> {
  return loginHelpState(account, {
    now: ctx.deps.clock.now(),
    mfaRequired: ctx.deps.policy.mfaRequiredRoles.includes(account.role),
    mfaEnrolled: account.totp_secret_enc !== null,
    attempts: options.withAttempts ? await recentAttempts(ctx.deps, account.id, 10) : [],
  });
}
