// Creating accounts all-or-nothing. core's createAccount writes the account, its audit
// entry and its activation token through deps.db, then queues the activation email
// through deps.effects. Here it runs with deps.db bound to one transaction and with
// effects held back: every row's account, audit entry and token commit together or not
// at all, and the emails are queued only after the commit, so no email ever carries a
// link to an account that was rolled back.
import { createAccount, type NewAccount } from '../core/accounts.js';
import { CLI_ACTOR, type CoreDeps } from '../core/deps.js';
import type { CoreEffects } from '../core/effects.js';
import type { Refusal } from '../core/refusal.js';
import type { AccountRow } from '../store/schema.js';

/** A row createAccount refused inside the transaction (a race with another writer): rolls it back. */
export class RowRefused extends Error {
  constructor(
    readonly index: number,
    readonly refusal: Refusal,
  ) {
    super(refusal.message('en'));
    this.name = 'RowRefused';
  }
}

/** Effects that wait: each ask is kept, with the account it is for, and runs after the commit. */
function heldEffects(real: CoreEffects) {
  const held: { accountId: string; run: () => Promise<void> }[] = [];
  const hold = (accountId: string, run: () => Promise<void>) => {
    held.push({ accountId, run });
    return Promise.resolve();
  };
  const effects: CoreEffects = {
    sendEmail: (request) => hold(request.accountId, () => real.sendEmail(request)),
    sendSms: (request) => hold(request.accountId, () => real.sendSms(request)),
    scheduleLockExpiry: (id, until) => hold(id, () => real.scheduleLockExpiry(id, until)),
    cancelLockExpiry: (id, until) => hold(id, () => real.cancelLockExpiry(id, until)),
    notify: (...events) => Promise.all(events.map((e) => hold('accountId' in e ? e.accountId : '', () => real.notify(e)))).then(() => undefined),
    resendEmail: (emailId) => real.resendEmail(emailId),
  };
  return { effects, held };
}

export interface CreatedAccounts {
  accounts: AccountRow[];
  /** How many held emails were queued after the commit. */
  queued: number;
  /** Set when queueing failed after the commit: the accounts exist, some emails don't. */
  queueError: unknown;
  /** The emails of the accounts whose activation email may not have been queued. */
  notQueued: string[];
}

/**
 * Creates every account in one transaction, as the CLI. Throws RowRefused (nothing
 * written) when createAccount refuses one, or the store's error (e.g. a unique index)
 * when another writer got there first.
 */
export async function createAccountsAtomically(deps: CoreDeps, inputs: readonly NewAccount[]): Promise<CreatedAccounts> {
  const { effects, held } = heldEffects(deps.effects);
  const accounts = await deps.db.transaction().execute(async (trx) => {
    const txDeps: CoreDeps = { ...deps, db: trx, effects };
    const created: AccountRow[] = [];
    for (const [index, input] of inputs.entries()) {
      const outcome = await createAccount(txDeps, CLI_ACTOR, input);
      if (!outcome.ok) throw new RowRefused(index, outcome);
      created.push(outcome.account);
    }
    return created;
  });

  let queued = 0;
  try {
    for (const effect of held) {
      await effect.run();
      queued++;
    }
    return { accounts, queued, queueError: null, notQueued: [] };
  } catch (err) {
    const pending = new Set(held.slice(queued).map((e) => e.accountId));
    return { accounts, queued, queueError: err, notQueued: accounts.filter((a) => pending.has(a.id)).map((a) => a.email) };
  }
}
