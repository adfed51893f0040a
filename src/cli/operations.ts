// The operator's commands: migrate the store, show the queues, and the break-glass MFA
// clear (the only way to clear a primary admin's MFA). Loaded lazily like commands.ts.
import { QUEUE_NAMES } from '../../jobs/index.js';
import { CLI_ACTOR } from '../core/deps.js';
import { recordDirectAction } from '../core/direct-actions.js';
import { findAccount, mode, readLine, withContext, type JsonFlag } from './command-kit.js';
import { loadCliConfig } from './config.js';
import { openCliQueues } from './context.js';
import { CliError, emit, EXIT_REFUSED, refused, table } from './output.js';
import { hasSecondFactor } from '../core/second-factor.js';

export async function migrate(opts: JsonFlag): Promise<void> {
  await withContext({ redis: false, migrating: true }, (ctx) => {
    emit(
      mode(opts),
      { applied: ctx.applied, store: ctx.storeKind },
      ctx.applied.length ? ctx.applied.map((m) => `applied ${m}`) : `${ctx.storeKind} store is up to date`,
    );
    return Promise.resolve();
  });
}

export async function queueStatus(opts: JsonFlag): Promise<void> {
  const opened = await openCliQueues(loadCliConfig());
  try {
    const states = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
    const counts: Record<string, Record<string, number>> = {};
    for (const key of Object.keys(QUEUE_NAMES) as (keyof typeof QUEUE_NAMES)[]) {
      const c = await opened.queues[key].getJobCounts(...states);
      counts[QUEUE_NAMES[key]] = Object.fromEntries(states.map((s) => [s, c[s] ?? 0]));
    }
    emit(
      mode(opts),
      { queues: counts },
      table(
        ['QUEUE', ...states.map((s) => s.toUpperCase())],
        Object.entries(counts).map(([name, c]) => [name, ...states.map((s) => String(c[s]))]),
      ),
    );
  } finally {
    await opened.close();
  }
}

export async function secretsReseal(opts: JsonFlag): Promise<void> {
  await withContext({ redis: false }, async (ctx) => {
    const { resealStoredSecrets } = await import('../core/secret-rotation.js'); // only here: it loads the TOTP module
    const report = await resealStoredSecrets(ctx.deps, CLI_ACTOR);
    const lines = [
      `${report.totpResealed} TOTP secret(s) sealed again under the current SECRETS_KEY`,
      ...(report.totpUnreadable ? [`${report.totpUnreadable} TOTP secret(s) are under a key this server does not have: their owners must enrol again (clear their MFA)`] : []),
      report.accessKeysOnPreviousKey
        ? `${report.accessKeysOnPreviousKey} active access key(s) still hash under a previous key: they stop working once SECRETS_KEY_PREVIOUS is removed; have their owners rotate them (\`keydesk key list\`)`
        : 'no active access key depends on a previous key',
    ];
    emit(mode(opts), { ...report, currentKeyId: ctx.deps.secrets.current.id }, lines);
  });
}

export async function breakGlassClearMfa(ref: string, opts: JsonFlag & { yes?: boolean }): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const enrolled = hasSecondFactor(account);
    if (!opts.yes) {
      process.stderr.write(
        `This clears the MFA of ${account.email} (${account.role}; MFA ${enrolled ? 'enrolled' : 'not enrolled'}) ` +
          'and emails them a link to enrol again.\n',
      );
      const typed = await readLine(`Type ${account.email} to confirm: `);
      if (typed === null || typed.trim().toLowerCase() !== account.email) {
        throw new CliError('not confirmed: nothing was changed', EXIT_REFUSED, 'not_confirmed');
      }
    }
    const { clearMfa } = await import('../core/mfa.js'); // only here: it loads the TOTP library
    const outcome = await clearMfa(ctx.deps, CLI_ACTOR, account.id);
    if (!outcome.ok) throw refused(outcome, account.email);
    await recordDirectAction(ctx.deps, CLI_ACTOR, { action: 'clear_mfa', accountId: account.id });
    emit(
      mode(opts),
      { id: account.id, email: account.email, role: account.role, wasEnrolled: enrolled },
      `${account.email}: MFA cleared${enrolled ? '' : ' (none was enrolled)'}; enrolment link emailed; audited`,
    );
  });
}
