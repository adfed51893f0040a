// The first step of every listener: who is asking. Someone without an account gets a
// polite answer saying what to do, and the helpdesk gets a `no_account` ticket (one per
// Slack user while it is open). Someone Slack doesn't vouch for (a guest, another
// workspace, an unconfirmed email…) is not linked by email: they are told to ask an admin
// to link them, the same answer whether or not an account has their email.
import type { webApi } from '@slack/bolt';
import { SYSTEM_ACTOR } from '../src/core/deps.js';
import { requestTicket } from '../src/core/tickets.js';
import { resolveSlackUser, type NotVouched, type SlackIdentity } from '../src/slack/identity.js';
import type { AccountRow } from '../src/store/schema.js';
import type { Actor } from '../src/core/deps.js';
import type { Locale } from '../src/core/types.js';
import type { HandlerContext } from './context.js';
import { noticeMessage } from './blocks/notice.js';
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
): Promise<{ ok: true; asker: Asker } | { ok: false; answer: string }> {
  const who: SlackIdentity = await resolveSlackUser(ctx.deps, client, slackUserId, ctx.slackWorkspace);
  if (who.account) {
    return {
      ok: true,
      asker: { account: who.account, actor: who.actor, tz: who.profile?.tz ?? 'UTC', locale: who.account.locale },
    };
  }
  if (who.profile?.notVouched) return { ok: false, answer: askAnAdminToLink(who.profile.notVouched, slackUserId) };
  const { ticket, created } = await requestTicket(ctx.deps, { ...SYSTEM_ACTOR, id: `slack:${slackUserId}` }, {
    kind: 'no_account',
    accountId: null,
    requesterSlackId: slackUserId,
    data: { detail: who.profile?.email ? `Slack email: ${who.profile.email}` : 'Slack shows no email for this user' },
  });
  if (created) await postTicketCard(ctx, client, ticket);
  return {
    ok: false,
    answer:
      "I can't find a keydesk account for you, so I can't help with this yet. I've told the helpdesk: they will link your account or create one and get back to you.",
  };
}

/** Who clicked. Someone without an account is told so (and gets null). */
export async function whoClicked(ctx: HandlerContext, args: ButtonArgs): Promise<Asker | null> {
  const who = await whoIsAsking(ctx, args.client, args.body.user.id);
  if (who.ok) return who.asker;
  await answerClick(ctx, args, noticeMessage(who.answer));
  return null;
}

const WHY: Record<NotVouched, string> = {
  workspace_unknown: 'I can’t check your Slack workspace right now',
  other_workspace: 'your Slack account belongs to another workspace',
  email_unconfirmed: 'Slack hasn’t confirmed an email address for you',
  bot: 'this is a bot user',
  deleted: 'this Slack account is deactivated',
  guest: 'guest accounts are never linked by email',
};

/** Polite: nothing is linked, and who can link them, with what they will need. */
function askAnAdminToLink(why: NotVouched, slackUserId: string): string {
  return `I can’t link your Slack account to keydesk by its email (${WHY[why]}), so I can’t help with this yet. Please ask a keydesk admin to link it for you: \`keydesk user link-slack <your email> ${slackUserId}\`.`;
}
