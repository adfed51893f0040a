// What each `keydesk user …` command does (migrate, queue and break-glass: operations.ts). program.ts loads this module only when a command
// runs, so `--help` and usage errors don't pay for the store and queue libraries.
// Every core call is made as CLI_ACTOR: someone on the server.
import { readFile } from 'node:fs/promises';
import type { DisableReason, Locale, Role } from '../core/types.js';
import { disableAccount, enableAccount, linkSlackUser, resendActivation, setRole, type NewAccount } from '../core/accounts.js';
import { CLI_ACTOR } from '../core/deps.js';
import { recordDirectAction } from '../core/direct-actions.js';
import { setEmailFromServer } from '../core/email-change.js';
import { issueSecurityReset } from '../core/identity-verification.js';
import { setLocale } from '../core/locale.js';
import { normalizeEmail } from '../core/identity.js';
import { findAccountById } from '../store/accounts.js';
import { isLocked, unlockAccount } from '../core/lockout.js';
import { recentAttempts } from '../core/login-attempts.js';
import { signOutEverywhere } from '../core/sessions.js';
import { findAccount, mode, plural, withContext, type JsonFlag } from './command-kit.js';
import type { CliContext } from './context.js';
import { createAccountsAtomically, RowRefused } from './create.js';
import { planImport } from './import.js';
import {
  accountView,
  CliError,
  describeError,
  emit,
  EXIT_REFUSED,
  EXIT_USAGE,
  humanTime,
  isoTime,
  phoneText,
  refused,
  statusText,
  table,
} from './output.js';

async function createOrRefuse(ctx: CliContext, inputs: NewAccount[], label: (index: number) => string) {
  let created;
  try {
    created = await createAccountsAtomically(ctx.deps, inputs);
  } catch (err) {
    if (err instanceof RowRefused) {
      const nothing = inputs.length > 1 ? ' (nothing was imported)' : '';
      throw new CliError(`${label(err.index)}: ${err.refusal.message('en')}${nothing}`, EXIT_REFUSED, err.refusal.code);
    }
    // E.g. another writer took an email between the checks and the insert: all rolled back.
    throw new CliError(`nothing was created (rolled back): ${describeError(err)}`, EXIT_REFUSED, 'rolled_back');
  }
  if (created.queueError) {
    throw new CliError(
      `created ${plural(created.accounts.length, 'account')}, but queueing ${plural(created.notQueued.length, 'activation email')} ` +
        `failed (${describeError(created.queueError)}); run "keydesk user resend-activation <email>" for: ${created.notQueued.join(', ')}`,
      EXIT_REFUSED,
      'email_not_queued',
      { created: created.accounts.map((a) => ({ id: a.id, email: a.email })), notQueued: created.notQueued },
    );
  }
  return created;
}

export interface AddOptions extends JsonFlag {
  email: string;
  name: string;
  phone?: string;
  ext?: string;
  role: Role;
  /** Given: the CLI chose it (locale_chosen); absent: en until Slack's locale says otherwise. */
  locale?: Locale;
  slackUser?: string;
}

export async function userAdd(opts: AddOptions): Promise<void> {
  await withContext({}, async (ctx) => {
    const input: NewAccount = {
      email: opts.email,
      displayName: opts.name,
      phone: opts.phone ?? null,
      extension: opts.ext ?? null,
      role: opts.role,
      ...(opts.locale ? { locale: opts.locale } : {}),
      slackUserId: opts.slackUser ?? null,
    };
    const created = await createOrRefuse(ctx, [input], () => normalizeEmail(opts.email) ?? opts.email);
    const account = created.accounts[0]!;
    emit(mode(opts), { account: accountView(account, ctx.deps.clock.now()), activationEmailQueued: true }, [
      `created ${account.email} (${account.role}, pending activation); activation email queued`,
      `id: ${account.id}`,
    ]);
  });
}

export async function userImport(file: string, opts: JsonFlag): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${describeError(err)}`, EXIT_USAGE, 'unreadable_file');
  }
  await withContext({}, async (ctx) => {
    const plan = await planImport(ctx.db, text, ctx.config.phoneDefaultRegion);
    if (!plan.ok) {
      process.stderr.write(plan.problems.map((p) => `  row ${p.row}: ${p.reasons.join('; ')}\n`).join(''));
      throw new CliError(`${file}: ${plural(plan.problems.length, 'bad row')}; nothing was imported`, EXIT_REFUSED, 'invalid_rows', {
        rows: plan.problems,
      });
    }
    if (plan.rows.length === 0) throw new CliError(`${file}: no accounts to import`, EXIT_REFUSED, 'empty_file');
    const created = await createOrRefuse(
      ctx,
      plan.rows.map((r) => r.input),
      (i) => `row ${plan.rows[i]!.row}`,
    );
    const rows = created.accounts.map((a, i) => ({ row: plan.rows[i]!.row, id: a.id, email: a.email, role: a.role }));
    emit(mode(opts), { created: rows, activationEmailsQueued: created.queued }, [
      ...table(
        ['ROW', 'EMAIL', 'ROLE', 'ID'],
        rows.map((r) => [String(r.row), r.email, r.role, r.id]),
      ),
      `imported ${plural(rows.length, 'account')} (pending activation); ${plural(created.queued, 'activation email')} queued`,
    ]);
  });
}

export interface ListOptions extends JsonFlag {
  locked?: boolean;
  disabled?: boolean;
  role?: Role;
}

export async function userList(opts: ListOptions): Promise<void> {
  await withContext({ redis: false }, async (ctx) => {
    const now = ctx.deps.clock.now();
    let query = ctx.db.selectFrom('accounts').selectAll();
    if (opts.locked) query = query.where('locked_until', '>', now).orderBy('locked_until');
    if (opts.disabled) query = query.where('status', '=', 'disabled');
    if (opts.role) query = query.where('role', '=', opts.role);
    const accounts = await query.orderBy('email').execute();
    emit(
      mode(opts),
      { accounts: accounts.map((a) => accountView(a, now)) },
      accounts.length === 0
        ? ['no accounts match']
        : [
            ...table(
              ['EMAIL', 'NAME', 'ROLE', 'STATUS', 'LOCKED UNTIL'],
              accounts.map((a) => [a.email, a.display_name, a.role, statusText(a), isLocked(a, now) ? humanTime(a.locked_until) : '-']),
            ),
            plural(accounts.length, 'account'),
          ],
    );
  });
}

export async function userShow(ref: string, opts: JsonFlag): Promise<void> {
  await withContext({ redis: false }, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const now = ctx.deps.clock.now();
    const keys = await ctx.db.selectFrom('access_keys').select(['status', 'expires_at']).where('account_id', '=', account.id).execute();
    const live = (k: (typeof keys)[number]) => k.expires_at === null || k.expires_at > now;
    const accessKeys = {
      active: keys.filter((k) => k.status === 'active' && live(k)).length,
      pendingReveal: keys.filter((k) => k.status === 'pending_reveal' && live(k)).length,
      revoked: keys.filter((k) => k.status === 'revoked' || !live(k)).length,
    };
    const attempts = await recentAttempts(ctx.deps, account.id, 5);
    const view = accountView(account, now);
    const facts: [string, string][] = [
      ['id', account.id],
      ['name', account.display_name],
      ['status', statusText(account) + (account.disabled_note ? ` — ${account.disabled_note}` : '')],
      ['role', account.role],
      ['locale', `${account.locale}${account.locale_chosen ? ' (chosen)' : ' (follows Slack)'}`],
      ['phone', phoneText(account) ?? '-'],
      ['slack user', account.slack_user_id ?? '-'],
      ['locked until', view.locked ? humanTime(account.locked_until) : '-'],
      ['failures', String(account.failed_count)],
      ['password set', view.passwordSet ? (view.mustChangePassword ? 'yes (must change)' : 'yes') : 'no'],
      ['MFA enrolled', view.mfaEnrolled ? `yes (${view.mfaMethod})` : 'no'],
      ['access keys', `${accessKeys.active} active, ${accessKeys.pendingReveal} awaiting reveal, ${accessKeys.revoked} revoked or expired`],
      ['created', humanTime(account.created_at)],
      ['last logins', attempts.length ? '' : 'none'],
    ];
    emit(
      mode(opts),
      {
        account: view,
        accessKeys,
        recentLogins: attempts.map((a) => ({ at: isoTime(a.at), result: a.result, clientAddress: a.client_address })),
      },
      [
        account.email,
        ...table(['', ''], facts)
          .slice(1)
          .map((l) => `  ${l}`),
        ...table(
          ['', '', ''],
          attempts.map((a) => [humanTime(a.at), a.result, a.client_address ?? '-']),
        )
          .slice(1)
          .map((l) => `    ${l}`),
      ],
    );
  });
}

export async function userSetRole(ref: string, role: Role, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await setRole(ctx.deps, CLI_ACTOR, account.id, role);
    if (!outcome.ok) throw refused(outcome, account.email);
    emit(mode(opts), { id: account.id, email: account.email, from: account.role, role }, `${account.email}: role ${account.role} → ${role}`);
  });
}

export async function userSetLocale(ref: string, locale: Locale, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await setLocale(ctx.deps, CLI_ACTOR, account.id, locale, { chosen: true });
    if (!outcome.ok) throw refused(outcome, account.email);
    emit(mode(opts), { id: account.id, email: account.email, from: account.locale, locale }, `${account.email}: locale ${account.locale} → ${locale} (chosen)`);
  });
}

export async function userLinkSlack(ref: string, slackId: string, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await linkSlackUser(ctx.deps, CLI_ACTOR, account.id, slackId, 'admin');
    if (!outcome.ok) throw refused(outcome, account.email);
    const was = account.slack_user_id && account.slack_user_id !== slackId ? ` (was ${account.slack_user_id})` : '';
    emit(
      mode(opts),
      { id: account.id, email: account.email, slackUserId: slackId, previous: account.slack_user_id },
      `${account.email}: linked to Slack user ${slackId}${was}`,
    );
  });
}

export async function userSetEmail(ref: string, email: string, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await setEmailFromServer(ctx.deps, CLI_ACTOR, account.id, email);
    if (!outcome.ok) throw refused(outcome, account.email);
    await recordDirectAction(ctx.deps, CLI_ACTOR, { action: 'change_email', accountId: account.id, facts: { requested_email: outcome.account.email } });
    const now = outcome.account.email;
    emit(mode(opts), { id: account.id, from: account.email, email: now }, `${account.email} → ${now}: changed; both addresses notified`);
  });
}

export async function userVerify(ref: string, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await issueSecurityReset(ctx.deps, CLI_ACTOR, account.id);
    if (!outcome.ok) throw refused(outcome, account.email);
    await recordDirectAction(ctx.deps, CLI_ACTOR, { action: 'verify_identity', accountId: account.id });
    emit(mode(opts), { id: account.id, email: account.email }, `${account.email}: verified; a link to set a new security question, answer and PIN was emailed`);
  });
}

export async function userDisable(ref: string, opts: JsonFlag & { reason: DisableReason; note?: string }): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await disableAccount(ctx.deps, CLI_ACTOR, account.id, opts.reason, opts.note ?? null);
    if (!outcome.ok) throw refused(outcome, account.email);
    await recordDirectAction(ctx.deps, CLI_ACTOR, { action: 'disable', accountId: account.id, facts: { reason: opts.reason, ...(opts.note ? { note: opts.note } : {}) } });
    emit(mode(opts), { id: account.id, email: account.email, status: 'disabled', reason: opts.reason }, `${account.email}: disabled (${opts.reason})`);
  });
}

export async function userEnable(ref: string, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await enableAccount(ctx.deps, CLI_ACTOR, account.id);
    if (!outcome.ok) throw refused(outcome, account.email);
    const after = (await findAccountById(ctx.db, account.id))!;
    const changed = account.status === 'disabled';
    if (changed) await recordDirectAction(ctx.deps, CLI_ACTOR, { action: 'enable', accountId: account.id });
    emit(
      mode(opts),
      { id: account.id, email: account.email, status: after.status, changed },
      changed ? `${account.email}: enabled (now ${after.status})` : `${account.email} was not disabled (${after.status})`,
    );
  });
}

export async function userSignOut(ref: string, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const ended = await signOutEverywhere(ctx.deps, CLI_ACTOR, account.id);
    emit(mode(opts), { id: account.id, email: account.email, sessionsEnded: ended }, `${account.email}: ${plural(ended, 'session')} ended`);
  });
}

export async function userUnlock(ref: string, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await unlockAccount(ctx.deps, CLI_ACTOR, account.id);
    if (!outcome.ok) throw refused(outcome, account.email);
    await recordDirectAction(ctx.deps, CLI_ACTOR, { action: 'unlock', accountId: account.id });
    emit(
      mode(opts),
      { id: account.id, email: account.email, wasLocked: outcome.wasLocked, lockedUntil: outcome.wasLocked ? isoTime(account.locked_until) : null },
      outcome.wasLocked
        ? `${account.email}: unlocked (was locked until ${humanTime(account.locked_until)}); unlock email queued`
        : `${account.email} was not locked (failure count reset)`,
    );
  });
}

export async function userResendActivation(ref: string, opts: JsonFlag): Promise<void> {
  await withContext({}, async (ctx) => {
    const account = await findAccount(ctx, ref);
    const outcome = await resendActivation(ctx.deps, CLI_ACTOR, account.id);
    if (!outcome.ok) throw refused(outcome, account.email);
    emit(mode(opts), { id: account.id, email: account.email }, `${account.email}: activation email queued`);
  });
}
