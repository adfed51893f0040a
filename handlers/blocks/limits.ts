// Slack's limits on what a message or view may hold, and a check that walks built blocks
// for anything over them. Builders keep within these by construction; the check is for
// tests (and for a listener that wants to assert before sending).

export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  text: 3000,
  field: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  url: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  privateMetadata: 3000,
  actionsElements: 25,
  contextElements: 10,
  sectionFields: 10,
} as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every way `blocks` break Slack's limits, as readable lines; empty when they don't. */
export function limitProblems(blocks: readonly unknown[], maxBlocks: number = SLACK_LIMITS.messageBlocks): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  const over = (path: string, value: unknown, max: number) => {
    if (typeof value === 'string' && value.length > max) problems.push(`${path}: ${value.length} > ${max}`);
  };
  const textOf = (v: unknown) => (isObject(v) ? v.text : undefined);

  const walk = (node: unknown, path: string, parent: Json | null, key: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, `${path}[${i}]`, parent, key));
      return;
    }
    if (!isObject(node)) return;
    over(`${path}.action_id`, node.action_id, SLACK_LIMITS.actionId);
    over(`${path}.block_id`, node.block_id, SLACK_LIMITS.blockId);
    over(`${path}.url`, node.url, SLACK_LIMITS.url);
    if ((node.type === 'mrkdwn' || node.type === 'plain_text') && typeof node.text === 'string') {
      over(path, node.text, key === 'fields' ? SLACK_LIMITS.field : SLACK_LIMITS.text);
    }
    switch (node.type) {
      case 'header':
        over(`${path}.text`, textOf(node.text), SLACK_LIMITS.headerText);
        break;
      case 'button':
        over(`${path}.text`, textOf(node.text), SLACK_LIMITS.buttonText);
        over(`${path}.value`, node.value, SLACK_LIMITS.buttonValue);
        break;
      case 'actions':
        if (Array.isArray(node.elements) && node.elements.length > SLACK_LIMITS.actionsElements) problems.push(`${path}: too many elements`);
        break;
      case 'context':
        if (Array.isArray(node.elements) && node.elements.length > SLACK_LIMITS.contextElements) problems.push(`${path}: too many elements`);
        break;
      case 'section':
        if (Array.isArray(node.fields) && node.fields.length > SLACK_LIMITS.sectionFields) problems.push(`${path}: too many fields`);
        break;
    }
    if (key === 'confirm' && parent) {
      over(`${path}.title`, textOf(node.title), SLACK_LIMITS.confirmTitle);
      over(`${path}.text`, textOf(node.text), SLACK_LIMITS.confirmText);
      over(`${path}.confirm`, textOf(node.confirm), SLACK_LIMITS.confirmButton);
      over(`${path}.deny`, textOf(node.deny), SLACK_LIMITS.confirmButton);
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`, node, k);
  };
  blocks.forEach((block, i) => walk(block, `blocks[${i}]`, null, 'blocks'));
  return problems;
}

/** The same check for a view: its blocks (up to 100), title, buttons and private metadata. */
export function viewLimitProblems(view: { blocks: readonly unknown[]; title?: { text: string }; submit?: { text: string }; close?: { text: string }; private_metadata?: string; callback_id?: string }): string[] {
  const problems = limitProblems(view.blocks, SLACK_LIMITS.viewBlocks);
  for (const [name, value] of [['title', view.title?.text], ['submit', view.submit?.text], ['close', view.close?.text]] as const) {
    if (value !== undefined && value.length > SLACK_LIMITS.viewTitle) problems.push(`view.${name}: ${value.length} > ${SLACK_LIMITS.viewTitle}`);
  }
  if ((view.private_metadata?.length ?? 0) > SLACK_LIMITS.privateMetadata) problems.push('view.private_metadata too long');
  if ((view.callback_id?.length ?? 0) > SLACK_LIMITS.actionId) problems.push('view.callback_id too long');
  return problems;
}
