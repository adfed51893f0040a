// "Create account" on a no_account card: a modal asking the email (the one Slack showed,
// when it showed one), the name, the role and the language; the new account is linked to
// the Slack user who asked and gets its activation email.
import type { Locale } from '../../src/core/types.js';
import { BLOCKS, VIEWS } from '../ids.js';
import { modal, plain, type KnownBlock, type ModalView } from './elements.js';
import { say } from './words.js';

const ROLE_CHOICES = ['user', 'agent', 'admin'] as const;

function option(text: string, value: string) {
  return { text: plain(text, 75), value };
}

export function createAccountModal(input: { ticketId: string; email: string | null; name: string | null; locale: Locale }): ModalView {
  const { locale } = input;
  const roles = ROLE_CHOICES.map((r) => option(say(locale, `createAccount.role.${r}`), r));
  const languages = [option('English', 'en'), option('Français', 'fr')];
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: BLOCKS.createEmail,
      label: plain(say(locale, 'createAccount.email')),
      element: { type: 'email_text_input', action_id: 'value', ...(input.email ? { initial_value: input.email } : {}) },
    },
    {
      type: 'input',
      block_id: BLOCKS.createName,
      label: plain(say(locale, 'createAccount.name')),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 200, ...(input.name ? { initial_value: input.name.slice(0, 200) } : {}) },
    },
    {
      type: 'input',
      block_id: BLOCKS.createRole,
      label: plain(say(locale, 'createAccount.roleLabel')),
      element: { type: 'static_select', action_id: 'value', options: roles, initial_option: roles[0]! },
    },
    {
      type: 'input',
      block_id: BLOCKS.createLocale,
      label: plain(say(locale, 'createAccount.language')),
      element: { type: 'static_select', action_id: 'value', options: languages, initial_option: languages[locale === 'fr' ? 1 : 0]! },
    },
  ];
  return modal({
    callbackId: VIEWS.createAccount,
    title: say(locale, 'createAccount.title'),
    submit: say(locale, 'createAccount.submit'),
    close: say(locale, 'createAccount.cancel'),
    privateMetadata: input.ticketId,
    blocks,
  });
}
