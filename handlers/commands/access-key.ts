// /access-key: a user's request goes to approval; `/access-key @user` by an admin issues a
// key at once. Either way the owner alone gets "Reveal once"; the admin never sees the key.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { issueKeyToOwner } from '../../src/core/approvals/performers.js';
import { recordDirectAction } from '../../src/core/direct-actions.js';
import { adminActionDoneMessage } from '../blocks/admin-action-result.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { helpdeskEffects } from '../helpdesk-channel.js';
import { selfOrAdminTarget } from '../flows/self-or-admin-target.js';

export async function accessKeyCommand(ctx: HandlerContext, args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await args.ack();
  const found = await selfOrAdminTarget(ctx, args, { name: '/access-key', kind: 'access_key', adminAction: 'issue_access_key' });
  if (!found) return;
  const { say, asker, account } = found;
  const issued = await issueKeyToOwner(ctx.deps, helpdeskEffects(ctx, args.client), asker.actor, account.id);
  if (!issued.ok) {
    await say(noticeMessage(issued.message(asker.locale), ':no_entry_sign:'));
    return;
  }
  await recordDirectAction(ctx.deps, asker.actor, { action: 'issue_access_key', accountId: account.id });
  await say(adminActionDoneMessage({ action: 'issue_access_key', target: issued.owner, told: issued.told, locale: asker.locale }));
}
