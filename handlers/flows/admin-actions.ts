// What an admin does at once on someone from the helpdesk commands — unlock, reset the
// password (always by email), disable, enable — once they said "Yes". The core checks
// authority again (the modal's metadata grants nothing) and audits. An unlock is told to
// its owner, and a waiting unlock ticket resolved, by the notify queue (handlers/notices).
import { disableAccount, enableAccount } from '../../src/core/accounts.js';
import { recordDirectAction } from '../../src/core/direct-actions.js';
import { getAccount, maskEmail } from '../../src/core/identity.js';
import { unlockAccount } from '../../src/core/lockout.js';
import { adminResetPassword } from '../../src/core/passwords.js';
import { ok, refuse, type Outcome } from '../../src/core/refusal.js';
import type { AccountRow } from '../../src/store/schema.js';
import type { SlackMessage } from '../blocks/elements.js';
import { helpdeskActionDoneMessage } from '../blocks/helpdesk-answers.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import type { Asker } from '../who.js';
import type { AdminActionMetadata } from './admin-confirm.js';

/** The confirm-modal actions this area handles (the others belong to /mfa-reset and /access-key). */
export const HELPDESK_ADMIN_ACTIONS = ['unlock', 'reset_password', 'disable', 'enable'] as const;
export type HelpdeskAdminAction = (typeof HELPDESK_ADMIN_ACTIONS)[number];

/** The confirmed actions this area carries out. */
export type HelpdeskActionMetadata = AdminActionMetadata & { action: HelpdeskAdminAction };

export function isHelpdeskAction(meta: AdminActionMetadata): meta is HelpdeskActionMetadata {
  return (HELPDESK_ADMIN_ACTIONS as readonly string[]).includes(meta.action);
}

/** Unlocks now (`/unlock @user`, a locked list's row); the core checks authority and audits. */
export async function unlockNow(ctx: HandlerContext, asker: Asker, accountId: string): Promise<Outcome<{ account: AccountRow; wasLocked: boolean }>> {
  const out = await unlockAccount(ctx.deps, asker.actor, accountId);
  if (!out.ok) return out;
  await recordDirectAction(ctx.deps, asker.actor, { action: 'unlock', accountId });
  const account = await getAccount(ctx.deps, accountId);
  if (!account) return refuse('account_not_found');
  return ok({ account, wasLocked: out.wasLocked });
}

/** Carries out a confirmed action; returns what to tell the admin. */
export async function performAdminAction(ctx: HandlerContext, asker: Asker, meta: HelpdeskActionMetadata): Promise<SlackMessage> {
  const { deps } = ctx;
  const { actor, locale } = asker;
  const target = await getAccount(deps, meta.accountId);
  const refused = (out: { message(l: typeof locale): string }) => noticeMessage(out.message(locale), ':no_entry_sign:');
  if (!target) return refused(refuse('account_not_found'));
  const done = { targetName: target.display_name, locale };
  switch (meta.action) {
    case 'unlock': {
      const out = await unlockNow(ctx, asker, target.id);
      return out.ok ? helpdeskActionDoneMessage({ ...done, action: 'unlock', wasLocked: out.wasLocked }) : refused(out);
    }
    case 'reset_password': {
      // Always by email: to the user (shown masked), or to the admin under `admin-set`.
      const out = await adminResetPassword(deps, actor, target.id, asker.account.email);
      if (!out.ok) return refused(out);
      await recordDirectAction(deps, actor, { action: 'reset_password', accountId: target.id });
      const sentTo = out.policy === 'admin-set' ? out.sentTo : maskEmail(out.sentTo);
      return helpdeskActionDoneMessage({ ...done, action: 'reset_password', policy: out.policy, sentTo });
    }
    case 'disable': {
      const reason = meta.reason ?? 'admin';
      const out = await disableAccount(deps, actor, target.id, reason, meta.note ?? null);
      if (out.ok) await recordDirectAction(deps, actor, { action: 'disable', accountId: target.id, facts: { reason, ...(meta.note ? { note: meta.note } : {}) } });
      return out.ok ? helpdeskActionDoneMessage({ ...done, action: 'disable', reason }) : refused(out);
    }
    case 'enable': {
      const out = await enableAccount(deps, actor, target.id);
      if (out.ok) await recordDirectAction(deps, actor, { action: 'enable', accountId: target.id });
      return out.ok ? helpdeskActionDoneMessage({ ...done, action: 'enable' }) : refused(out);
    }
  }
}
