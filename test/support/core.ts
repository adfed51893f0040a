// The core on its own, for the core conformance suites: a real store (PostgreSQL or
// SQLite), a manual clock, cheap argon2 and a *recording* CoreEffects, so a test can read
// the link or temporary password the core asked to email, and the locks it scheduled.
import { expect } from 'vitest';
import { corePolicy } from '../../src/core-policy.js';
import { activateAccount, createAccount, type NewAccount } from '../../src/core/accounts.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { ManualClock } from '../../src/core/clock.js';
import { CLI_ACTOR, webActor, type Actor, type CoreDeps } from '../../src/core/deps.js';
import type { CoreEffects, EmailKind, EmailRequest, NotifyEvent, SmsRequest } from '../../src/core/effects.js';
import { Hasher } from '../../src/core/hashing.js';
import { findAccountById } from '../../src/store/accounts.js';
import { SecretBox, secretKeyFromBase64 } from '../../src/core/secret-box.js';
import type { StoreKind } from '../../src/store/db.js';
import type { AccountRow } from '../../src/store/schema.js';
import { TEST_SECRETS_KEY, testConfig } from './config.js';
import { createTestStore, type TestStore } from './stores.js';

export const PUBLIC_URL = 'https://keydesk.test';

export interface LockSchedule {
  op: 'schedule' | 'cancel';
  accountId: string;
  lockedUntil: number;
}

export class RecordingEffects implements CoreEffects {
  readonly emails: EmailRequest[] = [];
  readonly locks: LockSchedule[] = [];
  readonly notices: NotifyEvent[] = [];

  sendEmail(request: EmailRequest): Promise<void> {
    this.emails.push(request);
    return Promise.resolve();
  }
  scheduleLockExpiry(accountId: string, lockedUntil: number): Promise<void> {
    this.locks.push({ op: 'schedule', accountId, lockedUntil });
    return Promise.resolve();
  }
  cancelLockExpiry(accountId: string, lockedUntil: number): Promise<void> {
    this.locks.push({ op: 'cancel', accountId, lockedUntil });
    return Promise.resolve();
  }
  notify(...events: NotifyEvent[]): Promise<void> {
    this.notices.push(...events);
    return Promise.resolve();
  }
  /** Emails handed back to the queue by "Resend". */
  readonly resent: string[] = [];
  resendEmail(emailId: string): Promise<boolean> {
    this.resent.push(emailId);
    return Promise.resolve(true);
  }
  readonly sms: SmsRequest[] = [];
  sendSms(request: SmsRequest): Promise<void> {
    this.sms.push(request);
    return Promise.resolve();
  }

  /** Emails of a kind (optionally to one account), oldest first. */
  of(kind: EmailKind, accountId?: string): EmailRequest[] {
    return this.emails.filter((e) => e.kind === kind && (accountId === undefined || e.accountId === accountId));
  }

  /** The newest email of a kind; fails the test when there is none. */
  last(kind: EmailKind, accountId?: string): EmailRequest {
    const found = this.of(kind, accountId).at(-1);
    if (!found) throw new Error(`no ${kind} email was requested`);
    return found;
  }
}

export interface CoreHarness {
  kind: StoreKind;
  store: TestStore;
  deps: CoreDeps;
  clock: ManualClock;
  effects: RecordingEffects;
  /** Another CoreDeps on the same store, clock and effects, with settings from `env`. */
  withEnv(env: Record<string, string>): CoreDeps;
  stop(): Promise<void>;
}

export async function startCore(kind: StoreKind, env: Record<string, string> = {}): Promise<CoreHarness> {
  const store = await createTestStore(kind);
  const clock = new ManualClock();
  const effects = new RecordingEffects();
  const secrets = new SecretBox(secretKeyFromBase64(TEST_SECRETS_KEY));
  const build = (extra: Record<string, string>): CoreDeps => {
    const config = testConfig({ PUBLIC_URL, DATA_DIR: store.dataDir, ...env, ...extra });
    return { db: store.db, clock, hasher: new Hasher(config.argon2), secrets, policy: corePolicy(config), effects };
  };
  return {
    kind,
    store,
    deps: build({}),
    clock,
    effects,
    withEnv: build,
    stop: () => store.destroy(),
  };
}

/** The secret at the end of an emailed link, checking the link's page. */
export function secretOfLink(link: string | undefined, page: string): string {
  expect(link).toBeDefined();
  const prefix = `${PUBLIC_URL}/${page}/`;
  expect(link!.startsWith(prefix)).toBe(true);
  const secret = link!.slice(prefix.length);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return secret;
}

export interface Person {
  id: string;
  email: string;
  password: string;
  pin: string;
  answer: string;
}

export const QUESTION = 'First street you lived on?';

let counter = 0;

/** Creates (as the CLI) and activates an account through its emailed activation link. */
export async function seedPerson(
  h: CoreHarness,
  input: Partial<NewAccount> & { password?: string; pin?: string; answer?: string } = {},
): Promise<Person> {
  counter += 1;
  const email = input.email ?? `person-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await createAccount(h.deps, CLI_ACTOR, { displayName: 'Casey Tester', ...input, email });
  if (!created.ok) throw new Error(`seed failed: ${created.code}`);
  const secret = secretOfLink(h.effects.last('activation', created.account.id).secret, 'activate');
  const person = {
    id: created.account.id,
    email: created.account.email,
    password: input.password ?? `violet tandem harbour ${counter} quill`,
    pin: input.pin ?? '90817263',
    answer: input.answer ?? 'Rue des Acacias',
  };
  const activated = await activateAccount(h.deps, webActor('192.0.2.10'), secret, {
    password: person.password,
    pin: person.pin,
    securityQuestion: QUESTION,
    securityAnswer: person.answer,
  });
  if (!activated.ok) throw new Error(`activation failed: ${activated.code}`);
  return person;
}

export async function accountRow(h: CoreHarness, id: string): Promise<AccountRow> {
  const row = await findAccountById(h.deps.db, id);
  if (!row) throw new Error(`account ${id} not found`);
  return row;
}

/** The acting account as an Actor, read fresh from the store (role, disabled). */
export async function actorOf(h: CoreHarness, id: string, clientAddress: string | null = '198.51.100.7'): Promise<Actor> {
  return actorFromAccount(await accountRow(h, id), clientAddress);
}

export async function auditRows(h: CoreHarness, filter: { action?: string; target?: string } = {}) {
  let q = h.deps.db.selectFrom('audit_log').selectAll().orderBy('at').orderBy('id');
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.target) q = q.where('target_account_id', '=', filter.target);
  return q.execute();
}

/** Fails when any audit row carries any of the given secrets (ids and times aside). */
export async function expectNoSecretsInAudit(h: CoreHarness, secrets: readonly string[]): Promise<void> {
  const rows = await auditRows(h);
  expect(rows.length).toBeGreaterThan(0);
  const text = JSON.stringify(rows.map(({ actor, action, target_account_id, client_address, detail }) => ({ actor, action, target_account_id, client_address, detail })));
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThanOrEqual(6);
    expect(text.includes(secret), `audit log contains a secret`).toBe(false);
  }
}
