// The two `/password` choices, carried out: "Change my password" DMs the single-use link
// to the change page (the one link Slack may carry); "I forgot" emails a reset link to the
// address on file and Slack learns only the masked address.
import type { webApi } from '@slack/bolt';
import { recordDirectAction } from '../../src/core/direct-actions.js';
import { maskEmail } from '../../src/core/identity.js';
import { issueChangePasswordLink, requestPasswordReset } from '../../src/core/passwords.js';
import { refuse } from '../../src/core/refusal.js';
import { slackTroubleText } from '../blocks/admin-action-result.js';
import { changeLinkMessage, type AccountSection, type PasswordChoiceOutcome } from '../blocks/password-modal.js';
import type { HandlerContext } from '../context.js';
import type { Asker } from '../who.js';
import { dmFromListener } from '../reply.js';

/** `email` is /email's and the Home tab's "Change my email": the same link, opened at its email section. */
export type PasswordChoice = 'change' | 'forgot' | 'email';

export async function carryOutPasswordChoice(
  ctx: HandlerContext,
  client: webApi.WebClient,
  asker: Asker,
  slackUserId: string,
  choice: PasswordChoice,
): Promise<PasswordChoiceOutcome> {
  return choice === 'forgot' ? emailResetLink(ctx, asker) : sendChangeLink(ctx, client, asker, slackUserId, choice === 'email' ? 'email' : 'password');
}

async function sendChangeLink(ctx: HandlerContext, client: webApi.WebClient, asker: Asker, slackUserId: string, section: AccountSection): Promise<PasswordChoiceOutcome> {
  const { locale, tz } = asker;
  const issued = await issueChangePasswordLink(ctx.deps, asker.actor, asker.account.id);
  if (!issued.ok) return { refused: issued.message(locale) };
  const message = changeLinkMessage({ link: issued.link, expiresAt: issued.expiresAt, now: ctx.deps.clock.now(), tz, locale, section });
  // The link goes to the owner's own DM and nowhere else; an unsent link just expires.
  const sent = await dmFromListener(ctx, client, slackUserId, message);
  if (!sent) return { refused: slackTroubleText(locale) };
  await recordDirectAction(ctx.deps, asker.actor, { action: 'change_link_sent', accountId: asker.account.id, requesterSlackId: slackUserId });
  return { sent: 'dm', section };
}

async function emailResetLink(ctx: HandlerContext, asker: Asker): Promise<PasswordChoiceOutcome> {
  const { account, locale } = asker;
  // The caller is known here (Slack says who), so telling them their own account's state
  // reveals nothing; the web's /forgot answers the same whatever the address.
  if (account.status !== 'active') return { refused: refuse('account_not_active').message(locale) };
  await requestPasswordReset(ctx.deps, asker.actor, account.email);
  await recordDirectAction(ctx.deps, asker.actor, { action: 'reset_link_sent', accountId: account.id, requesterSlackId: account.slack_user_id });
  return { sent: 'email', maskedEmail: maskEmail(account.email) };
}
