// What follows `/mfa-reset` or `/access-key`: nothing (the caller asks for themself), one
// Slack user mention (an admin acts on someone), or something we can't use, which gets a
// usage answer and changes nothing. The manifest sets should_escape, so Slack sends a
// mention as `<@U123|name>`; an `@name` it left as typed matched no Slack user.
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { findMentionedAccount } from '../../src/slack/identity.js';
import type { AccountRow } from '../../src/store/schema.js';
import { localeOfSlackUser } from '../../src/core/identity.js';
import type { SlackMessage } from '../blocks/elements.js';
import { usageMessage, type SlashCommand } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';

/** Far longer than any mention Slack sends, far shorter than a pasted essay. */
export const MAX_ARGUMENT = 200;

export type CommandTarget =
  | { kind: 'self' }
  | { kind: 'user'; slackUserId: string }
  | { kind: 'bad'; what: 'bad_argument' | 'too_long' | 'no_such_user'; got?: string };

/** A Slack user mention as Slack escapes it, `<@U123>` or `<@U123|name>`: the one parser of mentions. */
const MENTION = /^<@([UW][A-Z0-9]{2,20})(?:\|[^<>|]{0,100})?>$/;

/** The Slack user id of a mention, or null when `text` is not exactly one. */
export function parseMention(text: string): string | null {
  return MENTION.exec(text)?.[1] ?? null;
}
const Argument = z.string().max(MAX_ARGUMENT).transform((s) => s.trim());

export function parseCommandTarget(text: string): CommandTarget {
  const parsed = Argument.safeParse(text);
  if (!parsed.success) return { kind: 'bad', what: 'too_long' };
  const arg = parsed.data;
  if (arg === '') return { kind: 'self' };
  const mentioned = parseMention(arg);
  if (mentioned) return { kind: 'user', slackUserId: mentioned };
  if (/^@\S+$/.test(arg)) return { kind: 'bad', what: 'no_such_user', got: arg };
  return { kind: 'bad', what: 'bad_argument', got: arg };
}

/**
 * The account a mentioned Slack user has (linked by id, else the one Slack vouches for by
 * email). Never links: mentioning someone must not change their account.
 */
export async function targetAccount(ctx: HandlerContext, client: webApi.WebClient, slackUserId: string): Promise<AccountRow | null> {
  return findMentionedAccount(ctx.deps, client, slackUserId, ctx.slackWorkspace);
}

/**
 * For a command that takes no argument (`/password`, `/email`): the usage answer for what was
 * typed after it, or null when nothing was. A secret typed there changes nothing.
 */
export async function noArgumentAnswer(ctx: HandlerContext, command: { text: string; user_id: string }, slash: SlashCommand): Promise<SlackMessage | null> {
  const text = command.text.trim();
  if (text === '') return null;
  const locale = await localeOfSlackUser(ctx.deps, command.user_id);
  return usageMessage(slash, locale, text.length > MAX_ARGUMENT ? { what: 'too_long' } : { what: 'bad_argument', got: text });
}
