// The shape `/mfa-reset` and `/access-key` share: no argument asks for approval of one's
// own request; `@user` is an admin acting on someone. Everything before the admin's action
// (usage, no account, the request, authority, an unknown target) is answered here.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { authorizeAdmin } from '../../src/core/authority.js';
import { localeOfSlackUser } from '../../src/core/identity.js';
import type { AccountRow } from '../../src/store/schema.js';
import type { SlackMessage } from '../blocks/elements.js';
import { noticeMessage } from '../blocks/notice.js';
import { usageMessage } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';
import { whoIsAsking, type Asker } from '../who.js';
import { requestApproval, type SelfServiceKind } from './approval-request.js';
import { parseCommandTarget, targetAccount } from './command-target.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export interface AdminTarget {
  say: (m: SlackMessage) => Promise<unknown>;
  asker: Asker;
  account: AccountRow;
}

/** Returns the admin and the target to act on, or null when the command was answered already. */
export async function selfOrAdminTarget(
  ctx: HandlerContext,
  { command, client, respond }: CommandArgs,
  opts: { name: '/mfa-reset' | '/access-key'; kind: SelfServiceKind; adminAction: string },
): Promise<AdminTarget | null> {
  const say = (m: SlackMessage) => respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
  const target = parseCommandTarget(command.text);
  if (target.kind === 'bad') {
    await say(usageMessage(opts.name, await localeOfSlackUser(ctx.deps, command.user_id), target));
    return null;
  }
  const who = await whoIsAsking(ctx, client, command.user_id);
  if (!who.ok) {
    await say(noticeMessage(who.answer));
    return null;
  }
  const { actor, locale } = who.asker;
  if (target.kind === 'self') {
    await say(await requestApproval(ctx, client, who.asker, opts.kind, command.user_id));
    return null;
  }
  // Not an admin: refused (and audited) before the target is even looked up.
  const forbidden = await authorizeAdmin(ctx.deps, actor, opts.adminAction, null);
  if (forbidden) {
    await say(noticeMessage(forbidden.message(locale), ':no_entry_sign:'));
    return null;
  }
  const account = await targetAccount(ctx, client, target.slackUserId);
  if (!account) {
    await say(usageMessage(opts.name, locale, { what: 'no_such_user' }));
    return null;
  }
  return { say, asker: who.asker, account };
}
