// The first step of every listener: who is asking. Someone without an account gets a
// polite answer saying what to do, and the helpdesk gets a `no_account` ticket (one per
// Slack user while it is open).
import type { webApi } from '@slack/bolt';
import { SYSTEM_ACTOR } from '../src/core/deps.js';
import { requestTicket } from '../src/core/tickets.js';
import { resolveSlackUser, type SlackIdentity } from '../src/slack/identity.js';
import type { AccountRow } from '../src/store/schema.js';
import type { Actor } from '../src/core/deps.js';
import type { Locale } from '../src/core/refusal.js';
import type { HandlerContext } from './context.js';
import { postTicketCard } from './helpdesk-channel.js';

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
  const who: SlackIdentity = await resolveSlackUser(ctx.deps, client, slackUserId);
  if (who.account) {
    return {
      ok: true,
      asker: { account: who.account, actor: who.actor, tz: who.profile?.tz ?? 'UTC', locale: who.account.locale === 'fr' ? 'fr' : 'en' },
    };
  }
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
