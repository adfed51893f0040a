// What waits for the helpdesk: open tickets and locked accounts, for `/helpdesk tickets`
// and the Home tab, which show only the first rows and still say the whole count.
import type { CoreDeps } from './deps.js';
import type { TicketRow } from '../store/schema.js';
import { countPendingTickets, listPendingTickets } from '../store/tickets.js';

/** Open and claimed tickets, oldest first. */
export async function listOpenTickets(deps: CoreDeps, limit = 50, offset = 0): Promise<TicketRow[]> {
  return listPendingTickets(deps.db, limit, offset);
}

export async function countOpenTickets(deps: CoreDeps): Promise<number> {
  return countPendingTickets(deps.db);
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
