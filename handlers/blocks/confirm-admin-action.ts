// The confirm modal before an admin acts at once on someone (`/unlock @user`,
// `/mfa-reset @user`, `/access-key @user`, `/helpdesk reset|disable|enable @user`).
// Submitting it ("Yes") is the go-ahead; what to do travels in private_metadata, which
// the listener parses with zod and checks again (never trusted as authority).
import { maskEmail } from '../../src/core/identity.js';
import type { Locale } from '../../src/core/types.js';
import type { AccountRow } from '../../src/store/schema.js';
import { VIEWS } from '../ids.js';
import { context, modal, section, type ModalView } from './elements.js';
import { userText } from './escape.js';
import { disabledWhy } from './login-help.js';
import { say } from './words.js';

export const ADMIN_ACTIONS = ['unlock', 'clear_mfa', 'issue_access_key', 'reset_password', 'disable', 'enable'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export interface ConfirmAdminActionInput {
  action: AdminAction;
  target: Pick<AccountRow, 'display_name' | 'email'>;
  /** For disable: the reason code and an optional note (user text). */
  reason?: string | null;
  note?: string | null;
  /** What the listener needs back on submit (JSON, ≤ 3,000 characters). */
  privateMetadata: string;
  locale: Locale;
}

export function confirmAdminActionModal(input: ConfirmAdminActionInput): ModalView {
  const { locale, action } = input;
  const who = `*${userText(input.target.display_name, 200)}* (${userText(maskEmail(input.target.email), 200)})`;
  const blocks = [section(say(locale, `confirmAdminAction.question.${action}`, { who }))];
  if (action === 'disable') {
    const why = `${say(locale, 'confirmAdminAction.reason')} ${disabledWhy(input.reason ?? null, locale)}`;
    const note = input.note ? `\n${say(locale, 'confirmAdminAction.note')} ${userText(input.note, 1000)}` : '';
    blocks.push(section(why + note));
  }
  const result = modal({
    callbackId: VIEWS.confirmAdminAction,
    title: say(locale, `confirmAdminAction.title.${action}`),
    close: say(locale, 'confirmAdminAction.cancel'),
    submit: say(locale, 'confirmAdminAction.yes'),
    privateMetadata: input.privateMetadata,
    blocks: [...blocks, context([say(locale, 'confirmAdminAction.thisIsWrittenTo')])],
  });
  return result;
}
