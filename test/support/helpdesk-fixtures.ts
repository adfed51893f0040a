// People and moves the helpdesk tests share: an admin, a second admin, an agent, a user
// and a primary admin, each a keydesk account linked to a Slack user in the emulator;
// locking an account; submitting a modal the app opened; reading what the app sent Slack.
import type { Role } from '../../src/core/types.js';
import { SYSTEM_ACTOR } from '../../src/core/deps.js';
import { findAccountById } from '../../src/store/accounts.js';
import { recordFailure } from '../../src/core/lockout.js';
import type { RecordedCall } from '../../src/sandbox/slack-emulator.js';
import { postJson, seedActiveAccount, type SeededAccount } from './app.js';
import { HELPDESK, type SlackTestApp } from './slack-app.js';
import { textOf } from './slack-find.js';
import { newTriggerId } from './slack-requests.js';

export interface Person extends SeededAccount {
  slackId: string;
  name: string;
}

export const PEOPLE = {
  dana: { slackId: 'U300DANA', name: 'Dana Admin', role: 'admin' },
  sam: { slackId: 'U310SAM', name: 'Sam Second', role: 'admin' },
  alex: { slackId: 'U400ALEX', name: 'Alex Agent', role: 'agent' },
  alice: { slackId: 'U100ALICE', name: 'Alice User', role: 'user' },
  pat: { slackId: 'U500PAT', name: 'Pat Primary', role: 'primary_admin' },
} as const satisfies Record<string, { slackId: string; name: string; role: Role }>;

export type Cast = Record<keyof typeof PEOPLE, Person>;

/** Seeds one person: an active account linked to a Slack user the emulator knows. */
export async function seedPerson(t: SlackTestApp, who: { slackId: string; name: string; role: Role; email?: string; tz?: string; phone?: string }): Promise<Person> {
  const email = who.email ?? `${who.name.split(' ')[0]!.toLowerCase()}@example.com`;
  t.slack.addUser({ id: who.slackId, name: who.name.toLowerCase().replace(' ', '.'), real_name: who.name, email, tz: who.tz ?? 'Europe/Paris' });
  const seeded = await seedActiveAccount(t.deps, { email, displayName: who.name, role: who.role, slackUserId: who.slackId, ...(who.phone ? { phone: who.phone } : {}) });
  return { ...seeded, slackId: who.slackId, name: who.name };
}

export async function seedCast(t: SlackTestApp): Promise<Cast> {
  const entries = await Promise.all(Object.entries(PEOPLE).map(async ([key, who]) => [key, await seedPerson(t, who)] as const));
  return Object.fromEntries(entries) as Cast;
}

/** Five wrong passwords through the auth API, as an attacker would: the account locks. */
export async function lockByLogins(t: SlackTestApp, person: Person): Promise<void> {
  for (let i = 0; i < 5; i++) await postJson(`${t.app.url}/api/v1/login`, { login: person.email, password: 'wrong wrong wrong wrong' });
  const row = await findAccountById(t.deps.db, person.id);
  if (!row?.locked_until) throw new Error('the account did not lock');
}

/** Locks an account through the core (quicker, for many accounts). */
export async function lockByCore(t: SlackTestApp, accountId: string): Promise<void> {
  for (let i = 0; i < t.deps.policy.lockout.threshold; i++) {
    const account = await findAccountById(t.deps.db, accountId);
    await recordFailure(t.deps, account!, SYSTEM_ACTOR);
  }
}

export const mention = (p: { slackId: string; name: string }) => `<@${p.slackId}|${p.name.split(' ')[0]!.toLowerCase()}>`;

/** Submits a modal the app opened with views.open (the user pressed its submit button). */
export function submitView(t: SlackTestApp, userId: string, opened: RecordedCall, overrides: { private_metadata?: string } = {}) {
  const view = opened.args.view as Record<string, unknown>;
  const response = opened.response.view as Record<string, unknown> | undefined;
  return t.interaction({
    type: 'view_submission',
    team: { id: 'T0001', domain: 'acme' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0KEYDESK',
    token: 'deprecated-verification-token',
    trigger_id: newTriggerId(),
    view: {
      ...view,
      id: response?.id ?? 'V0000',
      hash: response?.hash ?? 'h',
      state: { values: {} },
      private_metadata: overrides.private_metadata ?? view.private_metadata,
    },
    response_urls: [],
    is_enterprise_install: false,
  });
}

/** The answers posted to response_urls since the last clear, each as the text it shows. */
export const answers = (t: SlackTestApp) => t.slack.callsTo('response_url').map((c) => textOf(c));

/** The single answer to a response_url (fails if there is not exactly one). */
export function onlyAnswer(t: SlackTestApp): RecordedCall['args'] {
  const calls = t.slack.callsTo('response_url');
  if (calls.length !== 1) throw new Error(`expected one response_url answer, got ${calls.length}: ${answers(t).join('\n')}`);
  return calls[0]!.args;
}

/** A recorded message's fallback text. */
const fallbackOf = (c: RecordedCall): string => (typeof c.args.text === 'string' ? c.args.text : '');

export interface Posted {
  ts: string;
  text: string;
  blocks: unknown[];
}

const posted = (c: RecordedCall): Posted => ({ ts: String(c.response.ts), text: fallbackOf(c), blocks: (c.args.blocks as unknown[] | undefined) ?? [] });

/** Ticket cards the app posted in the helpdesk channel since the last clear. */
export const cards = (t: SlackTestApp): Posted[] =>
  t.slack.callsTo('chat.postMessage').filter((c) => c.ok && c.args.channel === HELPDESK && !c.args.thread_ts).map(posted);

/** Lines the app posted in a card's thread since the last clear. */
export const threadOf = (t: SlackTestApp, ts: string): string[] =>
  t.slack.callsTo('chat.postMessage').filter((c) => c.ok && c.args.thread_ts === ts).map((c) => fallbackOf(c));

/** Texts the app posted in a user's DM since the last clear (lock notices come from the notify queue, later). */
export const dmsTo = (t: SlackTestApp, slackId: string): string[] =>
  t.slack.callsTo('chat.postMessage').filter((c) => c.ok && c.response.channel === t.slack.dmChannelFor(slackId)).map((c) => fallbackOf(c));

const setAside = new WeakMap<object, Set<string>>();

/** Sets aside the audit rows written so far (the log is append-only), so a test sees only its own. */
export async function forgetAudit(t: SlackTestApp): Promise<void> {
  const rows = await t.deps.db.selectFrom('audit_log').select('id').execute();
  setAside.set(t.deps, new Set(rows.map((r) => r.id)));
}

/** Audit rows written since the last forgetAudit. */
export async function auditRows(t: SlackTestApp) {
  const old = setAside.get(t.deps) ?? new Set<string>();
  const rows = await t.deps.db.selectFrom('audit_log').select(['id', 'actor', 'action', 'target_account_id', 'detail']).orderBy('at').execute();
  return rows.filter((r) => !old.has(r.id));
}

export const auditOf = async (t: SlackTestApp, action: string) =>
  (await auditRows(t)).filter((r) => r.action === action).map(({ actor, action: a, target_account_id, detail }) => ({ actor, action: a, target_account_id, detail }));

/** Email jobs queued for an address, by kind (the workers may already have sent them). */
export async function emailJobs(t: SlackTestApp, to?: string) {
  const jobs = await t.app.queues.email.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
  return jobs.filter((j) => !to || j.data.to === to).map((j) => j.data);
}
