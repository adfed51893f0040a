// The `keydesk` command tree. This module stays light (commander and a few constants);
// commands.ts, which loads the store and the queues, is imported only when a command
// runs. A core refusal is one line on stderr and exit 1; a usage or config error exits 2;
// there is never a stack trace for an expected error (KEYDESK_DEBUG=1 shows one for a
// bug). With --json, stdout carries one JSON document, success or failure.
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DISABLE_REASONS, LOCALES, ROLES, SLACK_USER_ID } from './choices.js';
import type { DisableReason, Locale, Role } from '../core/types.js';
import type { AuditOptions } from './audit.js';
import type { AddOptions, ListOptions } from './commands.js';
import { loadCliConfig } from './config.js';
import { CliError, describeError, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, type OutputMode } from './output.js';

/** The commands, once the environment is known to be good (a config error stays cheap). */
const commands = async () => {
  loadCliConfig();
  const [user, operations, audit, keys] = await Promise.all([import('./commands.js'), import('./operations.js'), import('./audit.js'), import('./keys.js')]);
  return { ...user, ...operations, ...audit, ...keys };
};

interface JsonFlag {
  json?: boolean;
}

function slackUserId(value: string): string {
  const id = value.trim();
  if (!SLACK_USER_ID.test(id)) throw new InvalidArgumentError('a Slack user id looks like U012ABCDEF (or W… on Enterprise Grid).');
  return id;
}

function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print the result as JSON (for scripts)');
}

const ACCOUNT = ['<account>', 'email, id, or phone[#extension]'] as const;

export function buildProgram(state: OutputMode): Command {
  const program = new Command('keydesk')
    .description('keydesk account-security helpdesk: manage accounts and queues from the server')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  program.hook('preAction', (_program, action) => {
    state.json = action.opts<JsonFlag>().json === true;
  });

  // Options and arguments over a vocabulary list use .choices(): commander refuses any other
  // value with a usage error before the action runs, so the action's Role, Locale or
  // DisableReason is parsed input, not a cast.
  const user = program.command('user').description('add, import, list, show and change accounts');

  withJson(user.command('add'))
    .description('create an account, pending activation (its activation email is queued)')
    .requiredOption('--email <email>', 'email address (the login)')
    .requiredOption('--name <name>', 'display name')
    .option('--phone <phone>', 'phone number (E.164, or national for PHONE_DEFAULT_REGION)')
    .option('--ext <extension>', 'phone extension (1-8 digits; needs --phone)')
    .addOption(new Option('--role <role>', 'role').choices(ROLES).default('user'))
    .addOption(new Option('--locale <locale>', 'language (default en, then Slack\'s locale once linked); given, it is kept').choices(LOCALES))
    .option('--slack-user <id>', 'Slack user id to link (U…)', slackUserId)
    .action(async (opts: AddOptions) => (await commands()).userAdd(opts));

  withJson(user.command('import'))
    .description('create accounts from a CSV file (email,name,phone,extension,role,locale,slack_user_id); all or nothing')
    .argument('<csv>', 'path to the CSV file (header row required)')
    .action(async (file: string, opts: JsonFlag) => (await commands()).userImport(file, opts));

  withJson(user.command('list'))
    .description('list accounts')
    .option('--locked', 'only accounts locked now')
    .option('--disabled', 'only disabled accounts')
    .addOption(new Option('--role <role>', 'only accounts with this role').choices(ROLES))
    .action(async (opts: ListOptions) => (await commands()).userList(opts));

  withJson(user.command('show'))
    .description('show one account (never a hash or a secret)')
    .argument(...ACCOUNT)
    .action(async (ref: string, opts: JsonFlag) => (await commands()).userShow(ref, opts));

  withJson(user.command('set-role'))
    .description('give an account a role (primary_admin can only be given here)')
    .argument(...ACCOUNT)
    .addArgument(new Argument('<role>', 'the new role').choices(ROLES))
    .action(async (ref: string, role: Role, opts: JsonFlag) => (await commands()).userSetRole(ref, role, opts));

  withJson(user.command('set-locale'))
    .description("choose an account's language (emails, Slack, pages); Slack's locale no longer changes it")
    .argument(...ACCOUNT)
    .addArgument(new Argument('<locale>', 'the language').choices(LOCALES))
    .action(async (ref: string, locale: Locale, opts: JsonFlag) => (await commands()).userSetLocale(ref, locale, opts));

  withJson(user.command('link-slack'))
    .description('link an account to a Slack user id')
    .argument(...ACCOUNT)
    .argument('<slack-user-id>', 'Slack user id (U…)', slackUserId)
    .action(async (ref: string, slackId: string, opts: JsonFlag) => (await commands()).userLinkSlack(ref, slackId, opts));

  withJson(user.command('set-email'))
    .description('change an account\'s email address now (both addresses are told; open links are revoked)')
    .argument(...ACCOUNT)
    .argument('<new-email>', 'the new address')
    .action(async (ref: string, email: string, opts: JsonFlag) => (await commands()).userSetEmail(ref, email, opts));

  withJson(user.command('verify'))
    .description('after checking who they are: email a link to set a new security question, answer and PIN (the only way for a primary admin)')
    .argument(...ACCOUNT)
    .action(async (ref: string, opts: JsonFlag) => (await commands()).userVerify(ref, opts));

  withJson(user.command('disable'))
    .description('disable an account')
    .argument(...ACCOUNT)
    .addOption(new Option('--reason <reason>', 'why').choices(DISABLE_REASONS).makeOptionMandatory())
    .option('--note <note>', 'a note kept with the account (500 characters at most)')
    .action(async (ref: string, opts: JsonFlag & { reason: DisableReason; note?: string }) =>
      (await commands()).userDisable(ref, opts),
    );

  withJson(user.command('enable'))
    .description('enable a disabled account')
    .argument(...ACCOUNT)
    .action(async (ref: string, opts: JsonFlag) => (await commands()).userEnable(ref, opts));

  withJson(user.command('unlock'))
    .description('end an account lock now (the user is emailed)')
    .argument(...ACCOUNT)
    .action(async (ref: string, opts: JsonFlag) => (await commands()).userUnlock(ref, opts));

  withJson(user.command('sign-out'))
    .description('end every sign-in session of an account now (audited)')
    .argument(...ACCOUNT)
    .action(async (ref: string, opts: JsonFlag) => (await commands()).userSignOut(ref, opts));

  withJson(user.command('resend-activation'))
    .description('email a fresh activation link to an account not yet activated')
    .argument(...ACCOUNT)
    .action(async (ref: string, opts: JsonFlag) => (await commands()).userResendActivation(ref, opts));

  const key = program.command('key').description('list and revoke access keys');
  withJson(key.command('list'))
    .description('list access keys (id, owner, status, created, last used, expires); never a secret')
    .argument('[account]', 'only this account\'s keys (email, id, or phone[#extension])')
    .action(async (ref: string | undefined, opts: JsonFlag) => (await commands()).keyList(ref, opts));

  withJson(key.command('revoke'))
    .description('end an access key at once; audited')
    .argument('<key-id>', 'the key\'s public id (24 hex characters, as `key list` shows)')
    .option('--leaked', 'also tell the owner (email and Slack) and open a ticket in the helpdesk channel')
    .action(async (keyId: string, opts: JsonFlag & { leaked?: boolean }) => (await commands()).keyRevoke(keyId, opts));

  withJson(program.command('migrate'))
    .description('bring the store schema up to date')
    .action(async (opts: JsonFlag) => (await commands()).migrate(opts));

  withJson(program.command('audit'))
    .description('the audit trail, newest first: <time> <actor> <action> <target> <address> <detail>')
    .option('--account <account>', 'only events about or by this account (email, id, or phone[#extension])')
    .option('--actor <actor>', "only events by this actor: an account, or cli, system, web, slack:<user id>")
    .option('--since <date>', 'only events from this date (YYYY-MM-DD, UTC) or ISO time on')
    .option('--action <name>', 'only this action (e.g. unlock, refused:unlock)')
    .option('--limit <n>', 'at most this many events (1-1000)', '50')
    .action(async (opts: AuditOptions) => (await commands()).audit(opts));

  const queue = program.command('queue').description('the job queues');
  withJson(queue.command('status'))
    .description('job counts per queue: waiting, active, delayed, failed, completed')
    .action(async (opts: JsonFlag) => (await commands()).queueStatus(opts));

  const secrets = program.command('secrets').description('after a SECRETS_KEY rotation');
  withJson(secrets.command('reseal'))
    .description('seal every stored TOTP secret again under SECRETS_KEY (run once every replica has the new key); counts the access keys still on SECRETS_KEY_PREVIOUS')
    .action(async (opts: JsonFlag) => (await commands()).secretsReseal(opts));

  const breakGlass = program.command('break-glass').description('server-only actions, e.g. on a primary admin');
  withJson(breakGlass.command('clear-mfa'))
    .description("clear an account's MFA (the only way for a primary admin); the owner is emailed an enrolment link; audited")
    .argument(...ACCOUNT)
    .option('--yes', 'do not ask to type the email address back')
    .action(async (ref: string, opts: JsonFlag & { yes?: boolean }) => (await commands()).breakGlassClearMfa(ref, opts));

  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const state: OutputMode = { json: false };
  const program = buildProgram(state);
  try {
    await program.parseAsync([...argv]);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE; // commander printed it
    const error = err instanceof CliError ? err : new CliError(describeError(err), EXIT_REFUSED, 'error');
    process.stderr.write(`keydesk: ${error.message}\n`);
    if (!(err instanceof CliError) && process.env.KEYDESK_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    if (state.json) {
      process.stdout.write(JSON.stringify({ ok: false, error: { code: error.code, message: error.message }, ...error.details }, null, 2) + '\n');
    }
    return error.exitCode;
  }
}
