// The Home tab (views.publish on app_home_opened): the viewer's own status with buttons
// for the same self-service actions as the commands; for agents and admins, the open
// tickets and the locked accounts too. At most 100 blocks, as Slack allows a Home view.
import type { LoginHelpState } from '../../src/core/login-help.js';
import type { TicketRow } from '../../src/store/schema.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { actions, button, context, divider, header, pick, section, type Button, type HomeView, type KnownBlock } from './elements.js';
import { userText } from './escape.js';
import { formatWhen, zoneName } from './format-time.js';
import { disabledWhy } from './login-help.js';
import { lockedRow, type LockedAccount } from './locked-list.js';
import { slackUser } from './ticket-card.js';
import { kindTitle, statusLabel } from './ticket-words.js';
import { SLACK_LIMITS } from './limits.js';
import type { Locale } from '../../src/core/types.js';

/** Rows of each list the Home tab shows; "Show all" leads to the paged `/helpdesk locked`. */
export const HOME_LIST_SIZE = 15;

export interface HomeInput {
  /** The viewer's account, or null when their Slack user matches none. */
  viewer: { displayName: string; role: string; state: LoginHelpState } | null;
  /** Open tickets (agents and admins; the builder shows the first HOME_LIST_SIZE). */
  openTickets?: readonly Pick<TicketRow, 'id' | 'kind' | 'status' | 'requester_slack_id' | 'created_at'>[];
  openTicketCount?: number;
  locked?: readonly LockedAccount[];
  lockedCount?: number;
  now: number;
  tz: string;
  locale: Locale;
}

function statusLine(state: LoginHelpState, input: HomeInput): string {
  const { locale, tz, now } = input;
  switch (state.reason) {
    case 'locked':
      return pick(
        locale,
        `:lock: Your account is locked until *${formatWhen(state.lockedUntil, now, tz, locale)}* (${zoneName(now, tz, locale)}).`,
        `:lock: Votre compte est verrouillé jusqu’à *${formatWhen(state.lockedUntil, now, tz, locale)}* (${zoneName(now, tz, locale)}).`,
      );
    case 'disabled':
      return pick(locale, `:no_entry: Your account is disabled ${disabledWhy(state.disabledReason, locale)}.`, `:no_entry: Votre compte est désactivé ${disabledWhy(state.disabledReason, locale)}.`);
    case 'not_activated':
      return pick(locale, ':envelope: Your account is not activated yet.', ':envelope: Votre compte n’est pas encore activé.');
    case 'must_change_password':
      return pick(locale, ':key: You must change your password.', ':key: Vous devez changer votre mot de passe.');
    case 'mfa_not_enrolled':
      return pick(locale, ':iphone: Your role needs MFA, and none is enrolled.', ':iphone: Votre rôle exige la MFA, et aucune n’est configurée.');
    case 'fine':
      return pick(locale, ':large_green_circle: Your account is active and not locked.', ':large_green_circle: Votre compte est actif et non verrouillé.');
  }
}

function selfServiceButtons(state: LoginHelpState, locale: Locale): Button[] {
  const buttons: Button[] = [];
  if (state.reason === 'locked') buttons.push(button({ actionId: ACTIONS.requestUnlock, text: pick(locale, 'Request unlock', 'Demander le déverrouillage'), value: 'home', style: 'primary' }));
  if (state.reason === 'not_activated') buttons.push(button({ actionId: ACTIONS.resendActivation, text: pick(locale, 'Resend activation email', 'Renvoyer l’e-mail d’activation'), value: 'home', style: 'primary' }));
  if (state.reason !== 'disabled' && state.reason !== 'not_activated') {
    buttons.push(
      button({ actionId: ACTIONS.passwordChange, text: pick(locale, 'Change my password', 'Changer mon mot de passe'), value: 'home' }),
      button({ actionId: ACTIONS.passwordForgot, text: pick(locale, 'I forgot my password', 'Mot de passe oublié'), value: 'home' }),
      button({ actionId: ACTIONS.requestMfaReset, text: pick(locale, 'Reset my MFA', 'Réinitialiser ma MFA'), value: 'home' }),
      button({ actionId: ACTIONS.requestAccessKey, text: pick(locale, 'Request an access key', 'Demander une clé d’accès'), value: 'home' }),
    );
  }
  buttons.push(
    button({ actionId: ACTIONS.loginHelp, text: pick(locale, 'Why can’t I log in?', 'Pourquoi je ne peux pas me connecter ?'), value: 'home' }),
    button({ actionId: ACTIONS.homeRefresh, text: pick(locale, 'Refresh', 'Actualiser'), value: 'home' }),
  );
  return buttons;
}

function ticketRows(input: HomeInput, canClaim: boolean): KnownBlock[] {
  const { locale, tz, now } = input;
  const tickets = (input.openTickets ?? []).slice(0, HOME_LIST_SIZE);
  const count = input.openTicketCount ?? input.openTickets?.length ?? 0;
  const blocks: KnownBlock[] = [divider(), header(pick(locale, `Open tickets (${count})`, `Tickets ouverts (${count})`))];
  if (tickets.length === 0) return [...blocks, context([pick(locale, 'No open ticket.', 'Aucun ticket ouvert.')])];
  for (const ticket of tickets) {
    const text = `${statusLabel(ticket.status, locale)} *${kindTitle(ticket.kind, locale)}* · ${slackUser(ticket.requester_slack_id)} · ${formatWhen(ticket.created_at, now, tz, locale)}`;
    const claim = canClaim && ticket.status === 'open' ? button({ actionId: ACTIONS.claim, text: pick(locale, 'Claim', 'Prendre en charge'), value: ticket.id }) : undefined;
    blocks.push(section(text, claim ? { accessory: claim } : {}));
  }
  if (count > tickets.length) blocks.push(context([pick(locale, `And ${count - tickets.length} more: \`/helpdesk tickets\`.`, `Et ${count - tickets.length} de plus : \`/helpdesk tickets\`.`)]));
  return blocks;
}

function lockedRows(input: HomeInput, canUnlock: boolean): KnownBlock[] {
  const { locale, tz, now } = input;
  const rows = (input.locked ?? []).slice(0, HOME_LIST_SIZE);
  const count = input.lockedCount ?? input.locked?.length ?? 0;
  const blocks: KnownBlock[] = [divider(), header(pick(locale, `Locked accounts (${count})`, `Comptes verrouillés (${count})`))];
  if (rows.length === 0) return [...blocks, context([pick(locale, 'No account is locked.', 'Aucun compte n’est verrouillé.')])];
  blocks.push(...rows.map((account) => lockedRow(account, now, tz, locale, canUnlock)));
  if (count > rows.length) {
    blocks.push(actions(BLOCKS.lockedPager, [button({ actionId: ACTIONS.lockedPage, text: pick(locale, `Show all ${count}`, `Voir les ${count}`), value: '0' })]));
  }
  return blocks;
}

export function homeView(input: HomeInput): HomeView {
  const { locale } = input;
  const blocks: KnownBlock[] = [header('keydesk')];
  if (!input.viewer) {
    blocks.push(
      section(
        pick(
          locale,
          ':wave: No keydesk account is linked to your Slack profile yet. Ask the helpdesk to link it, then press Refresh.',
          ':wave: Aucun compte keydesk n’est encore relié à votre profil Slack. Demandez au support de le relier, puis appuyez sur Actualiser.',
        ),
      ),
      actions(BLOCKS.homeActions, [button({ actionId: ACTIONS.homeRefresh, text: pick(locale, 'Refresh', 'Actualiser'), value: 'home' })]),
    );
    return { type: 'home', blocks };
  }
  const { viewer } = input;
  const isAdmin = viewer.role === 'admin' || viewer.role === 'primary_admin';
  const isAgent = isAdmin || viewer.role === 'agent';
  blocks.push(
    section(`${pick(locale, 'Hello', 'Bonjour')} *${userText(viewer.displayName, 200)}*.\n${statusLine(viewer.state, input)}`),
    actions(BLOCKS.homeActions, selfServiceButtons(viewer.state, locale)),
  );
  if (isAgent) blocks.push(...ticketRows(input, true), ...lockedRows(input, isAdmin));
  return { type: 'home', blocks: blocks.slice(0, SLACK_LIMITS.viewBlocks) };
}
