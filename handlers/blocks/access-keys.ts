// An account's access keys in Slack (`/access-key list`, the Home tab): one section per key
// with its public id prefix, when it was made and last used, and when it stops working;
// Rotate and Revoke (and Revoke as leaked, behind confirm dialogs) while it still works.
// Only public ids and times: a key's secret is never anywhere but its one reveal.
import type { KnownBlock } from '@slack/types';
import { keyState } from '../../src/core/access-keys.js';
import type { Locale } from '../../src/core/types.js';
import type { AccessKeyRow } from '../../src/store/schema.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, confirmDialog, context, fallback, section, type SlackMessage } from './elements.js';
import { userText } from './escape.js';
import { formatWhen } from './format-time.js';
import { say } from './words.js';

/** Keys shown in one message (3 blocks each; Slack allows 50 per message and 100 on Home). */
export const KEY_LIST_SIZE = 10;

const prefix = (id: string) => `${id.slice(0, 8)}…`;

/** "23 h 59 min", "5 min": what is left, rounded up to the minute. */
export function timeLeft(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? (m > 0 ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}

export interface KeyListInput {
  keys: readonly AccessKeyRow[];
  /** How many keys to show (default KEY_LIST_SIZE). */
  limit?: number;
  now: number;
  tz: string;
  locale: Locale;
}

/** The blocks for a list of keys (newest first); the caller adds a heading. */
export function keyListBlocks(input: KeyListInput): KnownBlock[] {
  const { now, tz, locale } = input;
  const blocks: KnownBlock[] = [];
  for (const key of input.keys.slice(0, input.limit ?? KEY_LIST_SIZE)) {
    const state = keyState(key, now);
    const when = (ms: number) => formatWhen(ms, now, tz, locale);
    const status =
      state === 'expiring' && key.expires_at !== null
        ? say(locale, 'accessKeys.expiresIn', { left: timeLeft(key.expires_at - now) })
        : say(locale, `accessKeys.state.${state}`);
    blocks.push(
      section(say(locale, 'accessKeys.keyLine', { keyId: userText(prefix(key.id), 16), status }), { blockId: `${BLOCKS.keyListItem}:${key.id}` }),
      context([
        say(locale, 'accessKeys.created', { at: when(key.created_at) }),
        key.last_used_at !== null ? say(locale, 'accessKeys.lastUsed', { at: when(key.last_used_at) }) : say(locale, 'accessKeys.neverUsed'),
        ...(state === 'expired' && key.expires_at !== null ? [say(locale, 'accessKeys.expiredAt', { at: when(key.expires_at) })] : []),
      ]),
    );
    if (state === 'revoked' || state === 'expired') continue;
    const keyText = { keyId: userText(prefix(key.id), 16) };
    const buttons = [
      ...(key.replaced_by === null ? [button({ actionId: ACTIONS.rotateKey, text: say(locale, 'accessKeys.rotate'), value: key.id })] : []),
      ...(key.replaced_by === null && state === 'active'
        ? [
            button({
              actionId: ACTIONS.replaceLostKey,
              text: say(locale, 'accessKeys.lost'),
              value: key.id,
              confirm: confirmDialog({
                title: say(locale, 'accessKeys.lostTitle'),
                text: say(locale, 'accessKeys.lostQuestion', keyText),
                confirm: say(locale, 'accessKeys.lostConfirm'),
                deny: say(locale, 'accessKeys.cancel'),
              }),
            }),
          ]
        : []),
      button({
        actionId: ACTIONS.revokeKey,
        text: say(locale, 'accessKeys.revoke'),
        value: key.id,
        style: 'danger',
        confirm: confirmDialog({
          title: say(locale, 'accessKeys.revokeTitle'),
          text: say(locale, 'accessKeys.revokeQuestion', keyText),
          confirm: say(locale, 'accessKeys.revoke'),
          deny: say(locale, 'accessKeys.cancel'),
          style: 'danger',
        }),
      }),
      button({
        actionId: ACTIONS.revokeKeyLeaked,
        text: say(locale, 'accessKeys.revokeLeaked'),
        value: key.id,
        confirm: confirmDialog({
          title: say(locale, 'accessKeys.revokeLeakedTitle'),
          text: say(locale, 'accessKeys.revokeLeakedQuestion', keyText),
          confirm: say(locale, 'accessKeys.revokeLeaked'),
          deny: say(locale, 'accessKeys.cancel'),
          style: 'danger',
        }),
      }),
    ];
    blocks.push(actions(`${BLOCKS.keyListActions}:${key.id}`, buttons));
  }
  return blocks;
}

/** `/access-key list [@user]`: the keys of one account, or a line saying there are none. */
export function keyListMessage(input: KeyListInput & { ownerName: string | null }): SlackMessage {
  const { locale } = input;
  const heading = input.ownerName
    ? say(locale, 'accessKeys.headingOf', { name: userText(input.ownerName, 80), count: input.keys.length })
    : say(locale, 'accessKeys.heading', { count: input.keys.length });
  const blocks: KnownBlock[] = [section(heading, { blockId: BLOCKS.keyListHeading }), ...keyListBlocks(input)];
  if (input.keys.length > KEY_LIST_SIZE) blocks.push(context([say(locale, 'accessKeys.more', { count: input.keys.length - KEY_LIST_SIZE })]));
  if (input.keys.length === 0) blocks.push(section(say(locale, 'accessKeys.none')));
  return { text: fallback(heading), blocks };
}

/** The owner's DM after a key was revoked as leaked. */
export function keyRevokedNoticeMessage(input: { keyId: string; locale: Locale }): SlackMessage {
  const text = say(input.locale, 'accessKeys.revokedLeakedNotice', { keyId: userText(input.keyId, 24) });
  return { text: fallback(text), blocks: [section(text)] };
}

/** The ephemeral answer to a Rotate or Revoke click. */
export function keyActionDoneMessage(input: { text: string }): SlackMessage {
  return { text: fallback(input.text), blocks: [section(input.text)] };
}
