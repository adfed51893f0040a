// /helpdesk: the helpdesk's own command. `locked`, `user @x` and `tickets` for agents and
// admins; `reset`, `disable` and `enable @x` for admins, each behind a confirm modal;
// `email @x new@address` for admins, at once (it only sends the user a confirmation link);
// `audit @x` for admins: the latest events of an account's audit trail, with Older;
// `help` (or nothing) for anyone. Every answer is ephemeral.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { authorizeAdmin, authorizeAgent } from '../../src/core/authority.js';
import { localeOfSlackUser } from '../../src/core/identity.js';
import type { SlackMessage } from '../blocks/elements.js';
import { lockedListMessage } from '../blocks/locked-list.js';
import { noticeMessage } from '../blocks/notice.js';
import { helpMessage, usageMessage } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';
import { targetAccount } from '../flows/command-target.js';
import { adminEmailChange } from '../flows/admin-email-change.js';
import { auditTrailPage } from '../flows/audit-trail.js';
import { lockedPage, openTicketsMessage, userStatusMessage } from '../flows/helpdesk-lists.js';
import { whoIsAsking } from '../who.js';
import { parseHelpdeskText } from '../flows/helpdesk-args.js';
import { openAdminConfirm } from '../flows/helpdesk-confirm.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const refused = (message: string) => noticeMessage(message, ':no_entry_sign:');

/** `https://<workspace>.slack.com`, for links to ticket cards; null when the domain looks wrong. */
function workspaceUrl(teamDomain: string | undefined): string | null {
  return teamDomain && /^[a-z0-9][a-z0-9-]{0,62}$/.test(teamDomain) ? `https://${teamDomain}.slack.com` : null;
}

export async function helpdeskCommand(ctx: HandlerContext, { command, ack, client, respond }: CommandArgs): Promise<void> {
  await ack();
  const answer = (message: SlackMessage) => respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
  const args = parseHelpdeskText(command.text);
  if (args.kind === 'usage' || args.kind === 'help') {
    const locale = await localeOfSlackUser(ctx.deps, command.user_id);
    await answer(args.kind === 'help' ? helpMessage(locale) : usageMessage('/helpdesk', locale, args.problem));
    return;
  }
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await answer(noticeMessage(who.answer));
    return;
  }
  const { asker } = who;
  switch (args.kind) {
    case 'locked': {
      const refusal = await authorizeAgent(ctx.deps, asker.actor, 'list_locked');
      await answer(refusal ? refused(refusal.message(asker.locale)) : lockedListMessage(await lockedPage(ctx, asker, 0)));
      return;
    }
    case 'tickets': {
      const refusal = await authorizeAgent(ctx.deps, asker.actor, 'list_tickets');
      await answer(refusal ? refused(refusal.message(asker.locale)) : await openTicketsMessage(ctx, asker, workspaceUrl(command.team_domain)));
      return;
    }
    case 'user': {
      const refusal = await authorizeAgent(ctx.deps, asker.actor, 'show_user');
      if (refusal) {
        await answer(refused(refusal.message(asker.locale)));
        return;
      }
      const target = await targetAccount(ctx, client, args.slackUserId);
      await answer(target ? await userStatusMessage(ctx, asker, target) : usageMessage('/helpdesk', asker.locale, { what: 'no_such_user' }));
      return;
    }
    case 'audit': {
      // Authority first (audited), so someone refused learns nothing of who has an account.
      const refusal = await authorizeAdmin(ctx.deps, asker.actor, 'read_audit', null);
      if (refusal) {
        await answer(refused(refusal.message(asker.locale)));
        return;
      }
      const target = await targetAccount(ctx, client, args.slackUserId);
      await answer(target ? (await auditTrailPage(ctx, asker, target.id, null)).message : usageMessage('/helpdesk', asker.locale, { what: 'no_such_user' }));
      return;
    }
    case 'email': {
      const target = await targetAccount(ctx, client, args.slackUserId);
      await answer(target ? await adminEmailChange(ctx, asker, target, args.email) : usageMessage('/helpdesk', asker.locale, { what: 'no_such_user' }));
      return;
    }
    case 'reset':
    case 'disable':
    case 'enable': {
      const instead = await openAdminConfirm(ctx, client, {
        asker,
        action: args.kind === 'reset' ? 'reset_password' : args.kind,
        command: '/helpdesk',
        targetSlackId: args.slackUserId,
        ...(args.kind === 'disable' ? { reason: args.reason, note: args.note } : {}),
        triggerId: command.trigger_id,
        responseUrl: command.response_url,
      });
      if (instead) await answer(instead);
      return;
    }
  }
}
