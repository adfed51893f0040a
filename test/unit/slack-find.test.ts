// The finders the Slack e2e tests read calls with: texts people see (not ids or metadata),
// blocks, buttons, and strings anywhere for the "a secret went nowhere" checks.
import { describe, expect, it } from 'vitest';
import { actions, button, confirmDialog, context, header, modal, section } from '../../handlers/blocks/elements.js';
import type { RecordedCall } from '../../src/sandbox/slack-emulator.js';
import {
  actionIdsOf,
  blockWithText,
  blocksOf,
  buttonsOf,
  findButton,
  hasText,
  inputTypesOf,
  matchText,
  sentAnywhere,
  stringsOf,
  textOf,
  textsOf,
} from '../support/slack-find.js';

const blocks = [
  header('Unlock request'),
  section('*Alice* is locked', { blockId: 'ticket:t-1', fields: ['Status: open'], accessory: button({ actionId: 'claim', text: 'Claim', value: 't-1' }) }),
  context(['Opened 05:00']),
  actions('ticket_actions', [
    button({ actionId: 'approve', text: 'Approve', value: 't-1', style: 'primary', confirm: confirmDialog({ title: 'Sure?', text: 'Unlock *Alice*?', confirm: 'Yes', deny: 'No' }) }),
    button({ actionId: 'open', text: 'Open', url: 'https://example.com/x' }),
  ]),
];
const call = (args: Record<string, unknown>): RecordedCall => ({ method: 'chat.postMessage', args, at: 0, token: 'xoxb', ok: true, response: { ok: true } });
const message = call({ channel: 'C1', text: 'Unlock request for Alice', blocks });

describe('slack-find', () => {
  it('reads the texts a person sees, in order, from a call, its args or its blocks', () => {
    expect(textsOf(message)).toEqual([
      'Unlock request for Alice', 'Unlock request', '*Alice* is locked', 'Status: open', 'Claim', 'Opened 05:00', 'Approve', 'Sure?', 'Unlock *Alice*?', 'Yes', 'No', 'Open',
    ]);
    expect(textsOf(message.args)).toEqual(textsOf(message));
    expect(textOf(blocks)).toContain('*Alice* is locked\nStatus: open');
    expect(hasText(message, /is locked/)).toBe(true);
    expect(hasText(message, 'ticket_actions')).toBe(false); // an id, not a text
    expect(matchText(message, /Opened (\d\d:\d\d)/)?.[1]).toBe('05:00');
  });

  it('skips metadata in texts but finds it among all strings', () => {
    const view = modal({ callbackId: 'cb', title: 'Reveal', close: 'Close', blocks: [section('kd_secret')], privateMetadata: '{"text":"hidden"}' });
    const opened = call({ trigger_id: 'tr', view });
    expect(textsOf(opened)).toEqual(['Reveal', 'Close', 'kd_secret']);
    expect(blocksOf(opened)).toHaveLength(1);
    expect(hasText(opened, 'hidden')).toBe(false);
    expect(sentAnywhere(opened, 'hidden')).toBe(true);
    expect(stringsOf(opened)).toContain('cb');
  });

  it('finds blocks, buttons and action ids', () => {
    expect(blockWithText(message, /is locked/)?.block_id).toBe('ticket:t-1');
    expect(blockWithText(message, /nowhere/)).toBeUndefined();
    expect(buttonsOf(message).map((b) => b.action_id)).toEqual(['claim', 'approve', 'open']);
    expect(findButton(message, 'approve')).toMatchObject({ value: 't-1', style: 'primary', text: { text: 'Approve' } });
    expect(findButton(message, 'open')?.url).toBe('https://example.com/x');
    expect(findButton(message, 'deny')).toBeUndefined();
    expect(actionIdsOf(message)).toEqual(['claim', 'approve', 'open']);
    expect(inputTypesOf(message)).toEqual([]);
    expect(inputTypesOf([{ type: 'input', element: { type: 'plain_text_input', action_id: 'pw' } }])).toEqual(['input', 'plain_text_input']);
  });
});
