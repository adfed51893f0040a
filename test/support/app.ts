// Starts the whole app for a test — on its own store, its own queue prefix on the
// suite's Redis, a manual clock — and seeds accounts through the core's own operations.
import { startApp, type AppOptions, type KeydeskApp } from '../../src/app.js';
import { activateAccount, createAccount, type NewAccount } from '../../src/core/accounts.js';
import { ManualClock } from '../../src/core/clock.js';
import { CLI_ACTOR, webActor, type CoreDeps } from '../../src/core/deps.js';
import { issueToken } from '../../src/core/tokens.js';
import { createLogger } from '../../src/logger.js';
import type { StoreKind } from '../../src/store/db.js';
import { testConfig } from './config.js';
import { deleteKeysWithPrefix } from './redis-keys.js';
import { createTestStore, type TestStore } from './stores.js';

export interface TestApp {
  app: KeydeskApp;
  store: TestStore;
  clock: ManualClock;
  deps: CoreDeps;
  stop(): Promise<void>;
}

export async function startTestApp(
  kind: StoreKind,
  env: Record<string, string> = {},
  options: Partial<Pick<AppOptions, 'workers' | 'logger' | 'slackProcessBeforeResponse'>> = {},
): Promise<TestApp> {
  const store = await createTestStore(kind, { migrate: false });
  const clock = new ManualClock();
  const config = testConfig({ DATABASE_URL: store.databaseUrl, DATA_DIR: store.dataDir, ...env });
  const app = await startApp({ config, logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), clock, port: 0, workers: options.workers ?? true, slackProcessBeforeResponse: options.slackProcessBeforeResponse });
  return {
    app,
    store,
    clock,
    deps: app.deps,
    async stop() {
      await app.close();
      await deleteKeysWithPrefix(config.redisUrl, config.queuePrefix);
      await store.destroy();
    },
  };
}

export interface SeededAccount {
  id: string;
  email: string;
  password: string;
  pin: string;
  answer: string;
}

/** Creates and activates an account the way a user would (activation token, first password, PIN, question). */
export async function seedActiveAccount(deps: CoreDeps, input: Partial<NewAccount> & { password?: string } = {}): Promise<SeededAccount> {
  const email = input.email ?? `user-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const created = await createAccount(deps, CLI_ACTOR, { displayName: 'Casey Tester', ...input, email });
  if (!created.ok) throw new Error(`seed failed: ${created.code}`);
  const token = await issueToken(deps, created.account.id, 'activation');
  const password = input.password ?? 'violet tandem harbour 42';
  const pin = '4825';
  const answer = 'Maple Street';
  const activated = await activateAccount(deps, webActor('127.0.0.1'), token.secret, {
    password,
    pin,
    securityQuestion: 'First street you lived on?',
    securityAnswer: answer,
  });
  if (!activated.ok) throw new Error(`activation failed: ${activated.code}`);
  return { id: created.account.id, email: created.account.email, password, pin, answer };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
