// Small constructors for the Block Kit pieces keydesk uses, each keeping within Slack's
// limits by cutting text (never user text unescaped: callers pass mrkdwn they built from
// userText) and refusing, as a bug, an id or value that could not fit.
import type { types } from '@slack/bolt';
import { MAX_TEXT, truncate } from './escape.js';
import { SLACK_LIMITS } from './limits.js';

export type KnownBlock = types.KnownBlock;
export type Button = types.Button;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type SectionBlock = types.SectionBlock;
export type ActionsBlock = types.ActionsBlock;
export type ContextBlock = types.ContextBlock;
export type HeaderBlock = types.HeaderBlock;
export type DividerBlock = types.DividerBlock;
export type ConfirmationDialog = types.ConfirmationDialog;
export type PlainTextElement = types.PlainTextElement;
export type MrkdwnElement = types.MrkdwnElement;

/** A message: `text` is the notification's fallback, `blocks` what Slack shows. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function plain(text: string, max: number = MAX_TEXT): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string, max: number = MAX_TEXT): MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

export function header(text: string, blockId?: string): HeaderBlock {
  return { type: 'header', text: plain(text, SLACK_LIMITS.headerText), ...(blockId ? { block_id: blockId } : {}) };
}

export function section(text: string, options: { blockId?: string; accessory?: Button; fields?: string[] } = {}): SectionBlock {
  return {
    type: 'section',
    text: mrkdwn(text),
    ...(options.blockId ? { block_id: options.blockId } : {}),
    ...(options.fields ? { fields: options.fields.slice(0, SLACK_LIMITS.sectionFields).map((f) => mrkdwn(f, SLACK_LIMITS.field)) } : {}),
    ...(options.accessory ? { accessory: options.accessory } : {}),
  };
}

export function context(texts: string[], blockId?: string): ContextBlock {
  return {
    type: 'context',
    elements: texts.slice(0, SLACK_LIMITS.contextElements).map((t) => mrkdwn(t)),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, SLACK_LIMITS.actionsElements) };
}

export interface ButtonInput {
  actionId: string;
  text: string;
  value?: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmationDialog;
  url?: string;
}

export function button(input: ButtonInput): Button {
  if (input.actionId.length > SLACK_LIMITS.actionId) throw new Error(`action_id ${input.actionId} is too long`);
  if (input.value !== undefined && input.value.length > SLACK_LIMITS.buttonValue) throw new Error(`value of ${input.actionId} is too long`);
  if (input.url !== undefined && input.url.length > SLACK_LIMITS.url) throw new Error(`url of ${input.actionId} is too long`);
  return {
    type: 'button',
    action_id: input.actionId,
    text: plain(input.text, SLACK_LIMITS.buttonText),
    ...(input.value !== undefined ? { value: input.value } : {}),
    ...(input.style ? { style: input.style } : {}),
    ...(input.confirm ? { confirm: input.confirm } : {}),
    ...(input.url ? { url: input.url } : {}),
  };
}

/** A confirm dialog; `text` is mrkdwn the caller built (user parts escaped). */
export function confirmDialog(input: { title: string; text: string; confirm: string; deny: string; style?: 'primary' | 'danger' }): ConfirmationDialog {
  return {
    title: plain(input.title, SLACK_LIMITS.confirmTitle),
    text: mrkdwn(input.text, SLACK_LIMITS.confirmText),
    confirm: plain(input.confirm, SLACK_LIMITS.confirmButton),
    deny: plain(input.deny, SLACK_LIMITS.confirmButton),
    ...(input.style ? { style: input.style } : {}),
  };
}

/** A modal; title, submit and close are cut to Slack's 24 characters. */
export function modal(input: { callbackId: string; title: string; blocks: KnownBlock[]; close: string; submit?: string; privateMetadata?: string }): ModalView {
  if (input.privateMetadata !== undefined && input.privateMetadata.length > SLACK_LIMITS.privateMetadata) {
    throw new Error(`private_metadata of ${input.callbackId} is too long`);
  }
  return {
    type: 'modal',
    callback_id: input.callbackId,
    title: plain(input.title, SLACK_LIMITS.viewTitle),
    close: plain(input.close, SLACK_LIMITS.viewTitle),
    ...(input.submit ? { submit: plain(input.submit, SLACK_LIMITS.viewTitle) } : {}),
    ...(input.privateMetadata !== undefined ? { private_metadata: input.privateMetadata } : {}),
    blocks: input.blocks.slice(0, SLACK_LIMITS.viewBlocks),
  };
}

/**
 * A fallback `text` for notifications: the first line of what the blocks say, plain and
 * short. A `<!date^…|fallback>` token becomes its fallback, so no cut lands inside one.
 */
export function fallback(text: string): string {
  return truncate(text.replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1').replace(/\s+/g, ' ').trim(), 300);
}
