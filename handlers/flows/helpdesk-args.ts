// What someone typed after `/unlock` and `/helpdesk`, parsed. Slack escapes mentions in
// command text (the manifest sets should_escape), so a user arrives as `<@U123|name>` or
// `<@U123>`; anything else where a user is expected is a bad argument. Anything that does
// not parse becomes a usage answer, and nothing else happens.
import { z } from 'zod';
import { parseMention } from './command-target.js';
import { DISABLE_REASONS, type DisableReason } from '../../src/core/types.js';

/** Longer than any valid command line (a mention, a reason and a 500-character note). */
export const MAX_COMMAND_TEXT = 700;
export const MAX_NOTE = 500;

const mention = z.string().transform((s, ctx) => {
  const slackUserId = parseMention(s);
  if (slackUserId === null) {
    ctx.addIssue({ code: 'custom', message: 'not a Slack user mention' });
    return z.NEVER;
  }
  return slackUserId;
});
const reason = z.enum(DISABLE_REASONS);
const note = z.string().trim().max(MAX_NOTE);

export interface UsageProblem {
  what: 'unknown' | 'bad_argument' | 'too_long';
  got?: string;
}

export type UnlockArgs = { kind: 'self' } | { kind: 'target'; slackUserId: string } | { kind: 'usage'; problem: UsageProblem };

export type HelpdeskArgs =
  | { kind: 'help' }
  | { kind: 'locked' }
  | { kind: 'tickets' }
  | { kind: 'user' | 'reset' | 'enable' | 'audit'; slackUserId: string }
  | { kind: 'disable'; slackUserId: string; reason: DisableReason; note: string | null }
  | { kind: 'email'; slackUserId: string; email: string }
  | { kind: 'usage'; problem: UsageProblem };

const usage = (what: UsageProblem['what'], got?: string) => ({ kind: 'usage' as const, problem: { what, ...(got ? { got } : {}) } });

/** `/unlock` (for me) or `/unlock @user` (an admin, for someone). */
export function parseUnlockText(raw: string): UnlockArgs {
  const text = raw.trim();
  if (text.length > MAX_COMMAND_TEXT) return usage('too_long');
  if (text === '') return { kind: 'self' };
  const user = mention.safeParse(text);
  return user.success ? { kind: 'target', slackUserId: user.data } : usage('bad_argument', text);
}

/** `/helpdesk <sub> [arguments]`; a bare `/helpdesk` is help. */
export function parseHelpdeskText(raw: string): HelpdeskArgs {
  const text = raw.trim();
  if (text.length > MAX_COMMAND_TEXT) return usage('too_long');
  if (text === '') return { kind: 'help' };
  const [, head = '', rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
  const sub = head.toLowerCase();
  switch (sub) {
    case 'help':
    case 'locked':
    case 'tickets':
      return rest === '' ? { kind: sub } : usage('bad_argument', rest);
    case 'user':
    case 'reset':
    case 'enable':
    case 'audit': {
      const user = mention.safeParse(rest);
      return user.success ? { kind: sub, slackUserId: user.data } : usage('bad_argument', rest || sub);
    }
    case 'disable':
      return parseDisable(rest);
    case 'email':
      return parseEmail(rest);
    default:
      return usage('unknown', head);
  }
}

/** `disable @user <reason> [note]` */
function parseDisable(rest: string): HelpdeskArgs {
  const [, who = '', why = '', noteText = ''] = /^(\S+)\s*(\S*)\s*([\s\S]*)$/.exec(rest) ?? [];
  const user = mention.safeParse(who);
  if (!user.success) return usage('bad_argument', who || 'disable');
  const code = reason.safeParse(why.toLowerCase());
  if (!code.success) return usage('bad_argument', why || 'reason');
  const text = note.safeParse(noteText);
  if (!text.success) return usage('too_long');
  return { kind: 'disable', slackUserId: user.data, reason: code.data, note: text.data === '' ? null : text.data };
}

/**
 * `email @user new@x`. Slack escapes an address in command text as `<mailto:a@b|a@b>`; a
 * plain one is taken as typed. The core normalises and checks it.
 */
function parseEmail(rest: string): HelpdeskArgs {
  const [, who = '', address = '', extra = ''] = /^(\S+)\s*(\S*)\s*([\s\S]*)$/.exec(rest) ?? [];
  const user = mention.safeParse(who);
  if (!user.success) return usage('bad_argument', who || 'email');
  if (extra !== '') return usage('bad_argument', extra);
  const escaped = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(address);
  const email = escaped?.[1] ?? address;
  if (email === '' || email.length > 320 || /[<>|\s]/.test(email)) return usage('bad_argument', address || 'email');
  return { kind: 'email', slackUserId: user.data, email };
}
