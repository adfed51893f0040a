// What agents and admins look at: the locked accounts (a page at a time), one account's
// status, the open tickets. Agents see; only admins get Unlock buttons, and a click checks
// authority again in the core. Someone who is neither is refused (authorizeAgent, audited).
import { isAdmin } from '../../src/core/authority.js';
import { recentAttempts } from '../../src/core/login-attempts.js';
import { listLocked } from '../../src/core/lockout.js';
import { listOpenTickets } from '../../src/core/helpdesk-lists.js';
import type { AccountRow } from '../../src/store/schema.js';
import type { SlackMessage } from '../blocks/elements.js';
import { LOCKED_PAGE_SIZE, lockedListMessage, lockedListModal, type LockedListInput } from '../blocks/locked-list.js';
import { TICKET_LIST_SIZE, ticketListMessage } from '../blocks/ticket-list.js';
import { userStatusCard } from '../blocks/user-status.js';
import type { HandlerContext } from '../context.js';
import { redrawClicked, type ButtonArgs } from '../reply.js';
import type { Asker } from '../who.js';
import { hasSecondFactor } from '../../src/core/second-factor.js';

/** The page of locked accounts from `offset` (one row more than a page, which says a next page exists). */
export async function lockedPage(ctx: HandlerContext, asker: Asker, offset: number): Promise<LockedListInput> {
  let start = offset;
  let accounts = await listLocked(ctx.deps, LOCKED_PAGE_SIZE + 1, start);
  // The last rows of a page were unlocked (or their locks ended): show the page before.
  while (accounts.length === 0 && start > 0) {
    start = Math.max(0, start - LOCKED_PAGE_SIZE);
    accounts = await listLocked(ctx.deps, LOCKED_PAGE_SIZE + 1, start);
  }
  return { accounts, offset: start, now: ctx.deps.clock.now(), tz: asker.tz, locale: asker.locale, canUnlock: isAdmin(asker.actor) };
}

/** `/helpdesk user @x`: the status card, with Unlock for an admin while the account is locked. */
export async function userStatusMessage(ctx: HandlerContext, asker: Asker, account: AccountRow): Promise<SlackMessage> {
  return userStatusCard({
    account,
    mfaEnrolled: hasSecondFactor(account),
    attempts: await recentAttempts(ctx.deps, account.id, 5),
    viewerIsAdmin: isAdmin(asker.actor),
    now: ctx.deps.clock.now(),
    tz: asker.tz,
    locale: asker.locale,
  });
}

/** `/helpdesk tickets`: the open tickets, oldest first, with links to their cards. */
export async function openTicketsMessage(ctx: HandlerContext, asker: Asker, workspaceUrl: string | null): Promise<SlackMessage> {
  const tickets = await listOpenTickets(ctx.deps, TICKET_LIST_SIZE + 1);
  return ticketListMessage({ tickets, more: tickets.length > TICKET_LIST_SIZE, workspaceUrl, tz: asker.tz, locale: asker.locale });
}

/** Draws a page of the locked list on the surface the click came from. */
export async function showLockedPage(ctx: HandlerContext, args: ButtonArgs, page: LockedListInput): Promise<boolean> {
  const { body, client } = args;
  try {
    if (body.view?.type === 'modal') {
      await client.views.update({ view_id: body.view.id, view: lockedListModal(page) });
      return true;
    }
    if (body.view?.type === 'home') {
      await client.views.open({ trigger_id: body.trigger_id, view: lockedListModal(page) });
      return true;
    }
  } catch (err) {
    ctx.logger.error({ err }, 'could not show the locked list in a view');
    return false;
  }
  return redrawClicked(ctx, args, lockedListMessage(page));
}
