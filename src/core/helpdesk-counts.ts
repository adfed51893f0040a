// How many open tickets and locked accounts there are, for lists that show only their
// first rows (the Home tab) and still say the whole count in their header.
import type { CoreDeps } from './deps.js';
import { PENDING_STATUSES } from './ticket-status.js';

export async function countOpenTickets(deps: CoreDeps): Promise<number> {
  const row = await deps.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', 'in', PENDING_STATUSES)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Accounts whose lock has not ended yet (the same rows listLocked pages through). */
export async function countLocked(deps: CoreDeps): Promise<number> {
  const row = await deps.db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('locked_until', '>', deps.clock.now())
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
