// What every `keydesk` command shares: opening the store and queues for one command,
// the --json output mode, finding an account by any of its names, and one line of stdin.
import { createInterface } from 'node:readline';
import { normalizeEmail, parseLogin } from '../core/identity.js';
import { findAccountById, findAccountByLogin } from '../store/accounts.js';
import type { AccountRow } from '../store/schema.js';
import { loadCliConfig } from './config.js';
import { openCliContext, type CliContext, type ContextOptions } from './context.js';
import { CliError, EXIT_REFUSED, type OutputMode } from './output.js';

export interface JsonFlag {
  json?: boolean;
}

export async function withContext<T>(options: ContextOptions & { migrating?: boolean }, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openCliContext(loadCliConfig(), options);
  try {
    if (ctx.applied.length && !options.migrating) process.stderr.write(`keydesk: migrated the store (${ctx.applied.join(', ')})\n`);
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

export const mode = (opts: JsonFlag): OutputMode => ({ json: opts.json === true });
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** An account by email, id, or phone[#extension]. */
export async function findAccount(ctx: CliContext, ref: string): Promise<AccountRow> {
  const text = ref.trim();
  let account: AccountRow | undefined;
  if (text.includes('@')) {
    const email = normalizeEmail(text);
    if (email) account = await findAccountByLogin(ctx.db, { email });
  } else if (text) {
    account = await findAccountById(ctx.db, text);
    const login = account ? null : parseLogin(text, ctx.config.phoneDefaultRegion);
    if (login) account = await findAccountByLogin(ctx.db, login);
  }
  if (!account) throw new CliError(`no account matches "${ref}"`, EXIT_REFUSED, 'account_not_found');
  return account;
}

/** Reads one line from stdin (a terminal or a pipe); null at end of input. */
export function readLine(prompt: string): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      if (!process.stdin.isTTY) process.stderr.write('\n'); // the typed line wasn't echoed
      rl.close();
      resolve(line);
    });
    rl.once('SIGINT', () => rl.close()); // Ctrl-C at the prompt: not confirmed
    rl.once('close', () => {
      if (answered) return;
      process.stderr.write('\n');
      resolve(null);
    });
    rl.setPrompt(prompt);
    rl.prompt();
  });
}

/** Creates accounts all-or-nothing; a refusal or a race becomes a CliError naming the row. */
