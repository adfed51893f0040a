// /access-key: a user's request goes to approval; `/access-key @user` by an admin issues a
// key at once. Either way the owner alone gets "Reveal once"; the admin never sees the key.
// `/access-key list` shows one's own keys (Rotate, Revoke), `/access-key list @user` an
// admin someone's; the answer is ephemeral.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { issueKeyToOwner } from '../../src/core/approvals/performers.js';
import { authorizeAdmin } from '../../src/core/authority.js';
import { localeOfSlackUser } from '../../src/core/identity.js';
import { recordDirectAction } from '../../src/core/direct-actions.js';
import { adminActionDoneMessage } from '../blocks/admin-action-result.js';
import type { SlackMessage } from '../blocks/elements.js';
import { noticeMessage } from '../blocks/notice.js';
import { usageMessage } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';
import { helpdeskEffects } from '../helpdesk-channel.js';
import { parseCommandTarget, targetAccount } from '../flows/command-target.js';
import { keyListFor } from '../flows/key-list.js';
import { selfOrAdminTarget } from '../flows/self-or-admin-target.js';
import { whoIsAsking } from '../who.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `list` and what follows it, or null when the command is not a list. */
const LIST = /^\s*list(?:\s+([\s\S]*))?$/i;

export async function accessKeyCommand(ctx: HandlerContext, args: CommandArgs): Promise<void> {
  await args.ack();
  const list = LIST.exec(args.command.text);
  if (list) {
    await listCommand(ctx, args, list[1] ?? '');
    return;
  }
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

async function listCommand(ctx: HandlerContext, { command, client, respond }: CommandArgs, rest: string): Promise<void> {
  const say = (m: SlackMessage) => respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
  const target = parseCommandTarget(rest);
  if (target.kind === 'bad') {
    await say(usageMessage('/access-key', await localeOfSlackUser(ctx.deps, command.user_id), target));
    return;
  }
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await say(noticeMessage(who.answer));
    return;
  }
  const { asker } = who;
  if (target.kind === 'self') {
    await say(await keyListFor(ctx, asker, asker.account.id));
    return;
  }
  // Someone else's keys: admins only, refused (and audited) before the target is looked up.
  const forbidden = await authorizeAdmin(ctx.deps, asker.actor, 'list_access_keys', null);
  if (forbidden) {
    await say(noticeMessage(forbidden.message(asker.locale), ':no_entry_sign:'));
    return;
  }
  const account = await targetAccount(ctx, client, target.slackUserId);
  if (!account) {
    await say(usageMessage('/access-key', asker.locale, { what: 'no_such_user' }));
    return;
  }
  await say(await keyListFor(ctx, asker, account.id));
}
