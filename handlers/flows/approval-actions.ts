// What an approved self-service request does, called by the Approve button's listener
// (handlers/register-helpdesk.ts) once its decision has won: `mfa_reset` clears the TOTP
// secret (the core emails the notice and the enrolment link), `access_key` issues a key and
// DMs its owner "Reveal once". The note goes into the ticket's thread, so it is never secret.
import type { webApi } from '@slack/bolt';
import type { Actor } from '../../src/core/deps.js';
import { maskEmail, findAccountById } from '../../src/core/identity.js';
import { clearMfa } from '../../src/core/mfa.js';
import type { TicketRow } from '../../src/store/schema.js';
import type { HandlerContext } from '../context.js';
import { issueKeyToOwner } from './access-key-issue.js';

/** The ticket kinds performApproved carries out. */
export const SELF_SERVICE_APPROVAL_KINDS: readonly string[] = ['mfa_reset', 'access_key'];

export async function performApproved(
  ctx: HandlerContext,
  client: webApi.WebClient,
  ticket: TicketRow,
  deciderActor: Actor,
): Promise<{ ok: boolean; note?: string }> {
  if (!ticket.account_id) return { ok: false, note: 'The ticket names no account.' };
  switch (ticket.kind) {
    case 'mfa_reset': {
      const cleared = await clearMfa(ctx.deps, deciderActor, ticket.account_id);
      if (!cleared.ok) return { ok: false, note: cleared.message('en') };
      const account = await findAccountById(ctx.deps.db, ticket.account_id);
      return { ok: true, note: `MFA cleared; an enrolment link was emailed to ${account ? maskEmail(account.email) : 'the address on file'}.` };
    }
    case 'access_key': {
      const issued = await issueKeyToOwner(ctx, client, deciderActor, ticket.account_id);
      if (!issued.ok) return { ok: false, note: issued.message('en') };
      return issued.told
        ? { ok: true, note: `Access key \`${issued.keyId}\` issued; its owner got “Reveal once” in a DM.` }
        : { ok: true, note: `Access key \`${issued.keyId}\` issued, but its owner could not be messaged in Slack.` };
    }
    default:
      return { ok: false, note: `keydesk does not carry out ${ticket.kind} tickets here.` };
  }
}
