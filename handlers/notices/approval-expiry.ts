// The notify worker's expiry tick: the core expires the approvals nobody decided within
// the TTL (src/core/approvals/decide.ts); here the requester's DM goes out with the
// notices' own policy. The tickets are expired first, so a Slack failure is logged, not
// retried: the next tick would not find them again, and the store already says "expired".
import type { webApi } from '@slack/bolt';
import { expireApprovals as expireInCore } from '../../src/core/approvals/decide.js';
import { approvalResultMessage } from '../blocks/approval-result.js';
import type { HandlerContext } from '../context.js';
import { helpdeskEffects } from '../helpdesk-channel.js';
import { sendDm } from '../reply.js';

export async function expireApprovals(ctx: HandlerContext, client: webApi.WebClient, ttlMs: number): Promise<number> {
  const helpdesk = helpdeskEffects(ctx, client, {
    async tellRequester({ slackUserId, ...result }) {
      try {
        await sendDm(client, slackUserId, approvalResultMessage(result));
      } catch (err) {
        ctx.logger.error({ err, user: slackUserId }, 'could not tell the requester their request expired');
      }
    },
  });
  return expireInCore(ctx.deps, helpdesk, ttlMs);
}
