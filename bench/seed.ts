// Accounts for the bench, made through the core like the CLI's: the first one is activated
// for real (its hashes at the production parameters); the rest copy its hashes in one
// UPDATE each, since a thousand activations would time argon2, not what is measured.
import type { KeydeskApp } from '../src/app.js';
import { activateAccount, createAccount } from '../src/core/accounts.js';
import { CLI_ACTOR, webActor, type CoreDeps } from '../src/core/deps.js';
import { issueToken } from '../src/core/tokens.js';
import { findAccountById } from '../src/store/accounts.js';
import type { SlackEmulator } from '../src/sandbox/slack-emulator.js';
import type { Role } from '../src/core/types.js';

export const PASSWORD = 'violet tandem harbour 42 quietly';

export interface BenchAccount {
  id: string;
  email: string;
  slackId: string | null;
}

export interface SeedOptions {
  prefix: string;
  role?: Role;
  /** Link each account to a Slack user the emulator knows. */
  slack?: SlackEmulator;
}

/** The control app's core, with activation emails left unsent (nobody reads them here). */
function quietDeps(control: KeydeskApp): CoreDeps {
  return { ...control.deps, effects: { ...control.deps.effects, sendEmail: () => Promise.resolve() } };
}

export async function seedAccounts(control: KeydeskApp, count: number, opts: SeedOptions): Promise<BenchAccount[]> {
  const deps = quietDeps(control);
  const made: BenchAccount[] = [];
  let template: { password_hash: string | null; pin_hash: string | null; security_question: string | null; security_answer_hash: string | null } | undefined;
  for (let i = 0; i < count; i += 1) {
    const email = `${opts.prefix}-${i}@example.com`;
    const slackId = opts.slack ? `U${opts.prefix.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 6)}${String(i).padStart(5, '0')}` : null;
    if (opts.slack && slackId) opts.slack.addUser({ id: slackId, name: `${opts.prefix}.${i}`, real_name: `Bench ${i}`, email, tz: 'UTC' });
    const created = await createAccount(deps, CLI_ACTOR, { email, displayName: `Bench ${i}`, role: opts.role ?? 'user', slackUserId: slackId });
    if (!created.ok) throw new Error(`seed ${email}: ${created.code}`);
    const id = created.account.id;
    if (!template) {
      const token = await issueToken(deps, id, 'activation');
      const activated = await activateAccount(deps, webActor(null), token.secret, { password: PASSWORD, pin: '4825', securityQuestion: 'Bench?', securityAnswer: 'bench answer' });
      if (!activated.ok) throw new Error(`activate ${email}: ${activated.code}`);
      template = (await findAccountById(deps.db, id))!;
    } else {
      const now = Date.now();
      await deps.db
        .updateTable('accounts')
        .set({
          status: 'active',
          password_hash: template.password_hash,
          pin_hash: template.pin_hash,
          security_question: template.security_question,
          security_answer_hash: template.security_answer_hash,
          password_changed_at: now,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    }
    made.push({ id, email, slackId });
  }
  return made;
}
