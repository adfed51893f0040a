// The Create account modal submitted: the core creates the account (admins only, audited)
// linked to the Slack user who asked, and emails its activation link; the no_account
// ticket is resolved and its card says so. A refusal (a bad or taken address) is shown on
// the modal's field, so nothing is lost.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { createAccount } from '../../src/core/accounts.js';
import { getTicket, resolveTicket } from '../../src/core/tickets.js';
import { LOCALES } from '../../src/core/types.js';
import type { HandlerContext } from '../context.js';
import { updateTicketCard } from '../helpdesk-channel.js';
import { BLOCKS, ticketIdValue } from '../ids.js';
import { whoIsAsking } from '../who.js';

const text = (max: number) => z.object({ value: z.string().trim().min(1).max(max) });
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.object({ selected_option: z.object({ value: z.enum(values) }) });
const Values = z.object({
  [BLOCKS.createEmail]: z.object({ value: text(320) }),
  [BLOCKS.createName]: z.object({ value: text(200) }),
  [BLOCKS.createRole]: z.object({ value: choice(['user', 'agent', 'admin'] as const) }),
  [BLOCKS.createLocale]: z.object({ value: choice(LOCALES) }),
});

export async function createAccountSubmit(ctx: HandlerContext, { ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> {
  const who = await whoIsAsking(ctx, client, body.user.id);
  const ticketId = ticketIdValue.safeParse(view.private_metadata);
  const values = Values.safeParse(view.state.values);
  const fieldError = (message: string) => ack({ response_action: 'errors', errors: { [BLOCKS.createEmail]: message } });
  if (!who.ok) return void (await fieldError(who.answer.slice(0, 150)));
  const { asker } = who;
  const ticket = ticketId.success ? await getTicket(ctx.deps, ticketId.data) : undefined;
  if (!ticket || ticket.kind !== 'no_account' || !values.success) return void (await fieldError('—'));
  const v = values.data;
  const created = await createAccount(ctx.deps, asker.actor, {
    email: v[BLOCKS.createEmail].value.value,
    displayName: v[BLOCKS.createName].value.value,
    role: v[BLOCKS.createRole].value.selected_option.value,
    locale: v[BLOCKS.createLocale].value.selected_option.value,
    slackUserId: ticket.requester_slack_id,
  });
  if (!created.ok) return void (await fieldError(created.message(asker.locale)));
  await ack();
  const resolved = await resolveTicket(ctx.deps, asker.actor, ticket.id);
  if (resolved.ok) await updateTicketCard(ctx, client, ticket.id, 'resolved', { name: asker.account.display_name, note: { key: 'slack.createAccount.created', params: { email: created.account.email } } });
}
