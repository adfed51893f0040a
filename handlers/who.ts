// The first step of every listener: who is asking. Someone without an account gets a
// polite answer saying what to do, and the helpdesk gets a `no_account` ticket (one per
// Slack user while it is open). Someone Slack doesn't vouch for (a guest, another
// workspace, an unconfirmed email…) is not linked by email: they are told to ask an admin
// to link them, the same answer whether or not an account has their email. Without an
// account, the answer is in the Slack user's locale (users.info include_locale).
import type { webApi } from '@slack/bolt';
import { SYSTEM_ACTOR } from '../src/core/deps.js';
import { requestTicket } from '../src/core/tickets.js';
import { resolveSlackUser, type NotVouched, type SlackIdentity } from '../src/slack/identity.js';
import type { AccountRow } from '../src/store/schema.js';
import type { Actor } from '../src/core/deps.js';
import type { Locale } from '../src/core/types.js';
import type { HandlerContext } from './context.js';
import { noticeMessage } from './blocks/notice.js';
import { say } from './blocks/words.js';
import { postTicketCard } from './helpdesk-channel.js';
import { answerClick, type ButtonArgs } from './reply.js';

export interface Asker {
  account: AccountRow;
  actor: Actor;
  tz: string;
  locale: Locale;
}

/** Resolves the Slack user; on no account, files the ticket and returns the answer to show. */
export async function whoIsAsking(
  ctx: HandlerContext,
  client: webApi.WebClient,
  slackUserId: string,
): Promise<{ ok: true; asker: Asker } | { ok: false; answer: string; locale: Locale }> {
  const who: SlackIdentity = await resolveSlackUser(ctx.deps, client, slackUserId, ctx.slackWorkspace);
  if (who.account) {
    return {
      ok: true,
      asker: { account: who.account, actor: who.actor, tz: who.profile?.tz ?? 'UTC', locale: who.account.locale },
    };
  }
  const locale = who.profile?.locale ?? 'en';
  if (who.profile?.notVouched) return { ok: false, answer: askAnAdminToLink(who.profile.notVouched, slackUserId, locale), locale };
  const { ticket, created } = await requestTicket(ctx.deps, { ...SYSTEM_ACTOR, id: `slack:${slackUserId}` }, {
    kind: 'no_account',
    accountId: null,
    requesterSlackId: slackUserId,
    // A fact, not a sentence: the card words it in the channel's language (ticket-card.ts).
    data: { slack_email: who.profile?.email ?? null },
  });
  if (created) await postTicketCard(ctx, client, ticket);
  return { ok: false, answer: say(locale, 'who.noAccount'), locale };
}

/** Who clicked. Someone without an account is told so (and gets null). */
export async function whoClicked(ctx: HandlerContext, args: ButtonArgs): Promise<Asker | null> {
  const who = await whoIsAsking(ctx, args.client, args.body.user.id);
  if (who.ok) return who.asker;
  await answerClick(ctx, args, noticeMessage(who.answer), who.locale);
  return null;
}

/** Polite: nothing is linked, and who can link them, with what they will need. */
function askAnAdminToLink(why: NotVouched, slackUserId: string, locale: Locale): string {
  return say(locale, 'who.askAnAdminToLink', { why: say(locale, `who.why.${why}`), slackUserId });
}
