// The Home tab, published for one Slack user: their status, self-service buttons and live
// sign-in sessions and access keys; for
// agents and admins also the open tickets and the locked accounts, with their counts.
// Opening the tab is not a request, so an unknown user gets a view saying so and no ticket.
import type { webApi } from '@slack/bolt';
import { listAccessKeys } from '../../src/core/access-keys.js';
import { isAgent } from '../../src/core/authority.js';
import { countLocked, countOpenTickets, listOpenTickets } from '../../src/core/helpdesk-lists.js';
import { listLocked } from '../../src/core/lockout.js';
import { loginHelpStateOf } from '../../src/core/login-help.js';
import { countActiveSessions } from '../../src/core/sessions.js';
import { resolveSlackUser } from '../../src/slack/identity.js';
import { HOME_LIST_SIZE, homeView, type HomeInput } from '../blocks/home.js';
import type { HandlerContext } from '../context.js';

export async function publishHome(ctx: HandlerContext, client: webApi.WebClient, slackUserId: string): Promise<void> {
  const who = await resolveSlackUser(ctx.deps, client, slackUserId, ctx.slackWorkspace);
  const now = ctx.deps.clock.now();
  const tz = who.profile?.tz ?? 'UTC';
  // Someone without an account is told so in their Slack locale.
  let input: HomeInput = { viewer: null, now, tz, locale: who.profile?.locale ?? 'en' };
  if (who.account) {
    const { account } = who;
    input = {
      viewer: { displayName: account.display_name, role: account.role, state: await loginHelpStateOf(ctx.deps, account, { withAttempts: false }) },
      activeSessions: await countActiveSessions(ctx.deps, account.id),
      accessKeys: await listAccessKeys(ctx.deps, account.id),
      now,
      tz,
      locale: account.locale,
    };
    if (isAgent(who.actor)) {
      const [openTickets, openTicketCount, locked, lockedCount] = await Promise.all([
        listOpenTickets(ctx.deps, HOME_LIST_SIZE),
        countOpenTickets(ctx.deps),
        listLocked(ctx.deps, HOME_LIST_SIZE),
        countLocked(ctx.deps),
      ]);
      input = { ...input, openTickets, openTicketCount, locked, lockedCount };
    }
  }
  await client.views.publish({ user_id: slackUserId, view: homeView(input) });
}
