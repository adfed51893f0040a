// /access-key: a user's request goes to approval; `/access-key @user` by an admin issues a
// key at once. Either way the owner alone gets "Reveal once"; the admin never sees the key.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { authorizeAdmin } from '../../src/core/authority.js';
import { adminActionDoneMessage } from '../blocks/admin-action-result.js';
import type { SlackMessage } from '../blocks/elements.js';
import { noticeMessage } from '../blocks/notice.js';
import { usageMessage } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';
import { issueKeyToOwner } from '../flows/access-key-issue.js';
import { requestApproval } from '../flows/approval-request.js';
import { localeOfSlackUser, parseCommandTarget, targetAccount } from '../flows/command-target.js';
import { whoIsAsking } from '../who.js';

export async function accessKeyCommand(ctx: HandlerContext, { command, ack, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await ack();
  const say = (m: SlackMessage) => respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
  const target = parseCommandTarget(command.text);
  if (target.kind === 'bad') {
    await say(usageMessage('/access-key', await localeOfSlackUser(ctx, command.user_id), target));
    return;
  }
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await say(noticeMessage(who.answer));
    return;
  }
  const { actor, locale } = who.asker;
  if (target.kind === 'self') {
    await say(await requestApproval(ctx, client, who.asker, 'access_key', command.user_id));
    return;
  }
  const forbidden = await authorizeAdmin(ctx.deps, actor, 'issue_access_key', null);
  if (forbidden) {
    await say(noticeMessage(forbidden.message(locale), ':no_entry_sign:'));
    return;
  }
  const account = await targetAccount(ctx, client, target.slackUserId);
  if (!account) {
    await say(usageMessage('/access-key', locale, { what: 'no_such_user' }));
    return;
  }
  const issued = await issueKeyToOwner(ctx, client, actor, account.id);
  if (!issued.ok) {
    await say(noticeMessage(issued.message(locale), ':no_entry_sign:'));
    return;
  }
  await say(adminActionDoneMessage({ action: 'issue_access_key', target: issued.owner, told: issued.told, locale }));
}
