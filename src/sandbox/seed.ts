// Seeds the sandbox the way the product would get there: accounts created by the CLI
// actor, activated through their activation links, an authenticator enrolled through the
// enrolment link, a lock earned by wrong passwords on the login path. The demo secrets are
// written to one file (mode 600) the console's people list reads; nothing prints them.
import { randomBytes, randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { activateAccount, createAccount } from '../core/accounts.js';
import { CLI_ACTOR, webActor, type CoreDeps } from '../core/deps.js';
import { login } from '../core/login.js';
import { beginEnrolment, confirmEnrolment } from '../core/mfa.js';
import { checkPin } from '../core/pin-policy.js';
import { issueToken } from '../core/tokens.js';
import { totpCodeAt } from '../core/totp.js';
import { SANDBOX_PEOPLE, type SandboxPerson } from './people.js';

export interface DemoSecrets {
  password: string;
  pin: string;
  question: string;
  answer: string;
  /** The authenticator secret (base32) of a person enrolled at seed time. */
  totpSecret?: string;
}

export interface SeedFile {
  seededAt: string;
  people: Record<string, DemoSecrets>;
}

const WORDS = ['amber', 'basil', 'cedar', 'delta', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper', 'kestrel', 'lagoon', 'meadow', 'nectar', 'orchid', 'pebble', 'quartz', 'raven', 'saffron', 'tundra', 'umber', 'violet', 'willow', 'zephyr'];
const pick = () => WORDS[randomInt(WORDS.length)] as string;

/** A passphrase that passes the password policy and is easy to type in a demo. */
function demoPassword(): string {
  return `${pick()} ${pick()} ${pick()} ${randomInt(10, 100)}`;
}

function demoPin(): string {
  for (;;) {
    const pin = String(randomInt(1000, 10_000));
    if (checkPin(pin) === null) return pin;
  }
}

export function seedFilePath(dataDir: string): string {
  return path.resolve(dataDir, 'demo-credentials.json');
}

export async function readSeedFile(dataDir: string): Promise<SeedFile | null> {
  try {
    return JSON.parse(await readFile(seedFilePath(dataDir), 'utf8')) as SeedFile;
  } catch {
    return null;
  }
}

async function seedPerson(deps: CoreDeps, person: SandboxPerson, threshold: number): Promise<DemoSecrets> {
  const secrets: DemoSecrets = { password: demoPassword(), pin: demoPin(), question: 'Name of your first pet?', answer: `${pick()} ${randomBytes(1)[0]! % 90 + 10}` };
  const created = await createAccount(deps, CLI_ACTOR, {
    email: person.email, displayName: person.name, role: person.role, locale: person.locale, slackUserId: person.slackId,
  });
  if (!created.ok) throw new Error(`seeding ${person.email} failed: ${created.code}`);
  if (person.state === 'pending_activation') return secrets;

  const activation = await issueToken(deps, created.account.id, 'activation');
  const activated = await activateAccount(deps, webActor('127.0.0.1'), activation.secret, {
    password: secrets.password, pin: secrets.pin, securityQuestion: secrets.question, securityAnswer: secrets.answer,
  });
  if (!activated.ok) throw new Error(`activating ${person.email} failed: ${activated.code}`);

  if (person.state === 'totp') {
    const link = await issueToken(deps, created.account.id, 'mfa_enrol');
    const offered = await beginEnrolment(deps, link.secret, { password: secrets.password, securityAnswer: secrets.answer });
    if (!offered.ok) throw new Error(`enrolling ${person.email} failed: ${offered.code}`);
    const code = await totpCodeAt(offered.totpSecret, deps.clock.now());
    const confirmed = await confirmEnrolment(deps, webActor('127.0.0.1'), link.secret, offered.totpSecret, code);
    if (!confirmed.ok) throw new Error(`confirming ${person.email}'s authenticator failed: ${confirmed.code}`);
    secrets.totpSecret = offered.totpSecret;
  }
  if (person.state === 'locked') {
    // Wrong passwords from a made-up address, one after the other: the lockout rule locks.
    for (let i = 0; i < threshold; i += 1) {
      await login(deps, webActor('203.0.113.7'), { login: person.email, password: `not ${secrets.password}` });
    }
  }
  return secrets;
}

/** Seeds every sandbox person into an empty store and writes their demo secrets. */
export async function seedSandbox(deps: CoreDeps, dataDir: string, lockoutThreshold: number): Promise<SeedFile> {
  const people: Record<string, DemoSecrets> = {};
  for (const person of SANDBOX_PEOPLE) people[person.slackId] = await seedPerson(deps, person, lockoutThreshold);
  const file: SeedFile = { seededAt: new Date(deps.clock.now()).toISOString(), people };
  await writeFile(seedFilePath(dataDir), JSON.stringify(file, null, 2), { mode: 0o600 });
  return file;
}
