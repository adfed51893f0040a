// Listeners of one area, wired here; each callback lives in its own file.
// The helpdesk: /unlock and /helpdesk, the ticket cards' buttons, the locked list, the
// confirm step of an admin's direct action, and the self-service "Request unlock" and
// "Resend activation email" buttons, and the replies in a card's thread.
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import { auditOlderAction } from './actions/audit-older.js';
import { lockedPageAction } from './actions/locked-page.js';
import { lockedUnlockAction } from './actions/locked-unlock.js';
import { requestUnlockAction } from './actions/request-unlock.js';
import { resendActivationAction } from './actions/resend-activation.js';
import { ticketClaimAction } from './actions/ticket-claim.js';
import { ticketCreateAccountAction } from './actions/ticket-create-account.js';
import { ticketDecisionAction } from './actions/ticket-decision.js';
import { ticketResolveAction } from './actions/ticket-resolve.js';
import { ticketResendEmailAction } from './actions/ticket-resend-email.js';
import { helpdeskCommand } from './commands/helpdesk.js';
import { helpdeskThreadReply } from './events/helpdesk-thread-reply.js';
import { createAccountSubmit } from './views/create-account-submit.js';
import { helpdeskConfirmSubmit } from './views/helpdesk-confirm.js';
import { unlockCommand } from './commands/unlock.js';
import type { HandlerContext } from './context.js';
import { HELPDESK_ADMIN_ACTIONS } from './flows/admin-actions.js';
import { forAdminActions } from './flows/admin-confirm.js';
import { ACTIONS, VIEWS } from './ids.js';

export const HELPDESK_COMMANDS: readonly string[] = ['/unlock', '/helpdesk'];

type Button = BlockAction<ButtonAction>;

export function registerHelpdesk(app: App, ctx: HandlerContext): void {
  app.command('/unlock', (args) => unlockCommand(ctx, args));
  app.command('/helpdesk', (args) => helpdeskCommand(ctx, args));
  // The confirm modal's callback_id is shared with /mfa-reset and /access-key: each area's
  // listener goes on only for its own actions.
  app.view<ViewSubmitAction>({ callback_id: VIEWS.confirmAdminAction, type: 'view_submission' }, forAdminActions(HELPDESK_ADMIN_ACTIONS), (args) =>
    helpdeskConfirmSubmit(ctx, args),
  );

  app.action<Button>(ACTIONS.approve, (args) => ticketDecisionAction(ctx, 'approve', args));
  app.action<Button>(ACTIONS.deny, (args) => ticketDecisionAction(ctx, 'deny', args));
  app.action<Button>(ACTIONS.claim, (args) => ticketClaimAction(ctx, args));
  app.action<Button>(ACTIONS.resolve, (args) => ticketResolveAction(ctx, args));
  app.action<Button>(ACTIONS.createAccount, (args) => ticketCreateAccountAction(ctx, args));
  app.action<Button>(ACTIONS.resendEmail, (args) => ticketResendEmailAction(ctx, args));
  app.view<ViewSubmitAction>({ callback_id: VIEWS.createAccount, type: 'view_submission' }, (args) => createAccountSubmit(ctx, args));
  app.action<Button>(ACTIONS.unlockRow, (args) => lockedUnlockAction(ctx, args));
  app.action<Button>(ACTIONS.lockedPage, (args) => lockedPageAction(ctx, args));
  app.action<Button>(ACTIONS.auditOlder, (args) => auditOlderAction(ctx, args));
  app.action<Button>(ACTIONS.requestUnlock, (args) => requestUnlockAction(ctx, args));
  app.action<Button>(ACTIONS.resendActivation, (args) => resendActivationAction(ctx, args));
  // Replies in a ticket card's thread: the ticket's history.
  app.event('message', (args) => helpdeskThreadReply(ctx, args));
}
