// The confirm step of an admin acting at once (`/unlock @user`, `/helpdesk reset|disable|
// enable @user`): the command opens a "Yes / Cancel" modal; its submission
// (views/helpdesk-confirm.ts) does it. What to do travels in the modal's private_metadata,
// parsed with zod and checked again by the core, which audits the action (and any
// refusal) under the admin who pressed "Yes".
import type { webApi } from '@slack/bolt';
import { authorizeAdmin, isAdmin } from '../../src/core/authority.js';
import { isLocked } from '../../src/core/lockout.js';
import { refuse } from '../../src/core/refusal.js';
import type { DisableReason } from '../../src/core/types.js';
import { confirmAdminActionModal } from '../blocks/confirm-admin-action.js';
import type { SlackMessage } from '../blocks/elements.js';
import { confirmFailedMessage, targetNotLockedMessage } from '../blocks/helpdesk-answers.js';
import { noticeMessage } from '../blocks/notice.js';
import { usageMessage, type SlashCommand } from '../blocks/usage.js';
import type { HandlerContext } from '../context.js';
import type { HelpdeskActionMetadata, HelpdeskAdminAction } from './admin-actions.js';
import { targetAccount } from './command-target.js';
import type { Asker } from '../who.js';

export interface ConfirmRequest {
  asker: Asker;
  action: HelpdeskAdminAction;
  /** The command typed, for its usage answer. */
  command: SlashCommand;
  targetSlackId: string;
  reason?: DisableReason;
  note?: string | null;
  triggerId: string;
  responseUrl: string;
}

/**
 * Checks what can be checked before asking (an admin, an account behind the mention, not
 * a primary admin, a lock to end) and opens the confirm modal. Returns the answer to show
 * instead, or null when the modal is open.
 */
export async function openAdminConfirm(ctx: HandlerContext, client: webApi.WebClient, req: ConfirmRequest): Promise<SlackMessage | null> {
  const { asker } = req;
  const { locale } = asker;
  const refused = (message: string) => noticeMessage(message, ':no_entry_sign:');
  // A non-admin is refused before anything about the target is looked up (and told).
  if (!isAdmin(asker.actor)) {
    const refusal = (await authorizeAdmin(ctx.deps, asker.actor, req.action, null)) ?? refuse('forbidden');
    return refused(refusal.message(locale));
  }
  const target = await targetAccount(ctx, client, req.targetSlackId);
  if (!target) return usageMessage(req.command, locale, { what: 'no_such_user' });
  const refusal = await authorizeAdmin(ctx.deps, asker.actor, req.action, target);
  if (refusal) return refused(refusal.message(locale));
  if (req.action === 'unlock' && !isLocked(target, ctx.deps.clock.now())) return targetNotLockedMessage(target.display_name, locale);

  const metadata: HelpdeskActionMetadata = {
    action: req.action,
    accountId: target.id,
    ...(req.reason ? { reason: req.reason } : {}),
    ...(req.note ? { note: req.note } : {}),
    responseUrl: req.responseUrl,
  };
  const view = confirmAdminActionModal({
    action: req.action,
    target,
    reason: req.reason ?? null,
    note: req.note ?? null,
    privateMetadata: JSON.stringify(metadata),
    locale,
  });
  try {
    await client.views.open({ trigger_id: req.triggerId, view });
    return null;
  } catch (err) {
    ctx.logger.error({ err, action: req.action }, 'could not open the confirm modal');
    return confirmFailedMessage(locale);
  }
}
