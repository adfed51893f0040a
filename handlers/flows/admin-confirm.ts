// The confirm modal before an admin acts on someone (confirmAdminActionModal): what to do
// travels in private_metadata, parsed with zod on submit and never trusted as authority
// (the core checks the submitting admin again). Every area submits the same callback_id,
// and Bolt runs every listener that matches it, so each area's listener goes on only for
// its own actions (forAdminActions) and the others leave the submission alone.
import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction, webApi } from '@slack/bolt';
import { z } from 'zod';
import { ADMIN_ACTIONS, type AdminAction } from '../blocks/confirm-admin-action.js';
import type { SlackMessage } from '../blocks/elements.js';
import type { HandlerContext } from '../context.js';
import { answerUnderCommand } from '../reply.js';
import { DISABLE_REASONS } from '../../src/core/types.js';

/** What the confirm modal carries to its submission (private_metadata, JSON): one schema for every area. */
export const adminActionMetadata = z.strictObject({
  action: z.enum(ADMIN_ACTIONS),
  accountId: z.uuid(),
  /** `/helpdesk disable`: why, and the admin's note. */
  reason: z.enum(DISABLE_REASONS).optional(),
  note: z.string().max(500).optional(),
  /** The command's response_url, to answer the admin where they typed the command. */
  responseUrl: z.url({ protocol: /^https?$/ }).max(1000).optional(),
});
export type AdminActionMetadata = z.infer<typeof adminActionMetadata>;

/** Parses private_metadata; null when it is not ours or not valid. */
export function readAdminActionMetadata(raw: string | undefined): AdminActionMetadata | null {
  try {
    const parsed = adminActionMetadata.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Listener middleware: only submissions of these actions reach the listener after it. */
export function forAdminActions(actions: readonly AdminAction[]): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async ({ view, next }) => {
    const metadata = readAdminActionMetadata(view.private_metadata);
    if (metadata && actions.includes(metadata.action)) await next();
  };
}

/** Answers the admin ephemerally under their command, or by DM when that is not possible. */
export async function answerAdmin(
  ctx: HandlerContext,
  client: webApi.WebClient,
  metadata: AdminActionMetadata,
  adminSlackId: string,
  message: SlackMessage,
): Promise<void> {
  await answerUnderCommand(ctx, client, metadata.responseUrl, adminSlackId, message);
}
