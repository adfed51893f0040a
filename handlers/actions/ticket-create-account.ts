// "Create account" on a no_account card: an admin (checked now, and again by the core on
// submit) gets the modal, pre-filled with what Slack showed of the person.
import type { webApi } from '@slack/bolt';
import { isAdmin } from '../../src/core/authority.js';
import { refuse } from '../../src/core/refusal.js';
import { getTicket, ticketData } from '../../src/core/tickets.js';
import { fetchSlackProfile } from '../../src/slack/identity.js';
import { createAccountModal } from '../blocks/create-account-modal.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { ticketIdValue } from '../ids.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

/** The name Slack shows for the asker, to pre-fill the modal (none when Slack has only the id). */
async function slackName(client: webApi.WebClient, slackUserId: string | null): Promise<string | null> {
  const profile = slackUserId ? await fetchSlackProfile(client, slackUserId) : null;
  return profile && profile.name !== slackUserId ? profile.name : null;
}

export async function ticketCreateAccountAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, action, client, body } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const parsed = ticketIdValue.safeParse(action.value);
  const ticket = parsed.success ? await getTicket(ctx.deps, parsed.data) : undefined;
  const refusal = !isAdmin(asker.actor) ? refuse('forbidden') : !ticket || ticket.kind !== 'no_account' ? refuse('ticket_not_found') : null;
  if (refusal || !ticket) {
    await answerClick(ctx, args, noticeMessage((refusal ?? refuse('ticket_not_found')).message(asker.locale), ':no_entry_sign:'), asker.locale);
    return;
  }
  const email = ticketData(ticket).slack_email;
  await client.views.open({
    trigger_id: body.trigger_id,
    view: createAccountModal({
      ticketId: ticket.id,
      email: typeof email === 'string' && email !== '' ? email : null,
      name: await slackName(client, ticket.requester_slack_id),
      locale: asker.locale,
    }),
  });
}
