// Who lives in the sandbox workspace: each person is a keydesk account linked to a Slack
// user of the emulator, in a state that shows one flow (a lock, a pending activation, an
// enrolled authenticator). Ids are fixed so the workspace's messages and the store agree
// across restarts.
import type { Locale, Role } from '../core/types.js';

export type PersonState = 'fine' | 'locked' | 'pending_activation' | 'totp';

export interface SandboxPerson {
  slackId: string;
  /** Slack's handle (`@ada`). */
  handle: string;
  name: string;
  initials: string;
  email: string;
  role: Role;
  /** What the console's people list says about them. */
  label: string;
  tz: string;
  /** Slack's locale (`en-US`, `fr-FR`); the account's language follows it. */
  slackLocale: string;
  locale: Locale;
  state: PersonState;
  /** A colour for the avatar. */
  color: string;
}

export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  { slackId: 'U0ADA', handle: 'ada', name: 'Ada Lovelace', initials: 'AL', email: 'ada@keydesk.test', role: 'primary_admin', label: 'primary admin', tz: 'Europe/London', slackLocale: 'en-GB', locale: 'en', state: 'fine', color: '#7c3aed' },
  { slackId: 'U0GRACE', handle: 'grace', name: 'Grace Hopper', initials: 'GH', email: 'grace@keydesk.test', role: 'admin', label: 'admin', tz: 'America/New_York', slackLocale: 'en-US', locale: 'en', state: 'fine', color: '#2563eb' },
  { slackId: 'U0KATE', handle: 'katherine', name: 'Katherine Johnson', initials: 'KJ', email: 'katherine@keydesk.test', role: 'agent', label: 'helpdesk agent', tz: 'America/Chicago', slackLocale: 'en-US', locale: 'en', state: 'fine', color: '#0891b2' },
  { slackId: 'U0SAM', handle: 'sam', name: 'Sam Patel', initials: 'SP', email: 'sam@keydesk.test', role: 'user', label: 'employee, locked out', tz: 'Asia/Kolkata', slackLocale: 'en-IN', locale: 'en', state: 'locked', color: '#dc2626' },
  { slackId: 'U0NOAH', handle: 'noah', name: 'Noah Kim', initials: 'NK', email: 'noah@keydesk.test', role: 'user', label: 'employee, not activated yet', tz: 'Asia/Seoul', slackLocale: 'en-US', locale: 'en', state: 'pending_activation', color: '#ca8a04' },
  { slackId: 'U0LEA', handle: 'lea', name: 'Léa Dubois', initials: 'LD', email: 'lea@keydesk.test', role: 'user', label: 'employée, authenticator app (French)', tz: 'Europe/Paris', slackLocale: 'fr-FR', locale: 'fr', state: 'totp', color: '#db2777' },
  { slackId: 'U0EMMA', handle: 'emma', name: 'Emma Brown', initials: 'EB', email: 'emma@keydesk.test', role: 'user', label: 'employee, no problem', tz: 'America/Los_Angeles', slackLocale: 'en-US', locale: 'en', state: 'fine', color: '#16a34a' },
];

export interface Channel {
  id: string;
  name: string;
  /** Who sees it in the sidebar: everyone, or the helpdesk (agents and admins). */
  audience: 'everyone' | 'helpdesk';
}

export const HELPDESK_CHANNEL: Channel = { id: 'C0HELPDESK', name: 'helpdesk', audience: 'helpdesk' };
export const GENERAL_CHANNEL: Channel = { id: 'C0GENERAL', name: 'general', audience: 'everyone' };
export const SANDBOX_CHANNELS: readonly Channel[] = [GENERAL_CHANNEL, HELPDESK_CHANNEL];

export function personBySlackId(id: string): SandboxPerson | undefined {
  return SANDBOX_PEOPLE.find((p) => p.slackId === id);
}

export function seesChannel(person: SandboxPerson, channel: Channel): boolean {
  return channel.audience === 'everyone' || person.role !== 'user';
}
