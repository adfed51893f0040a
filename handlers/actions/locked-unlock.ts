// The red-lock Unlock of a locked account's row (`/helpdesk locked`, its modal, the Home
// tab) or of a user status card: the core unlocks, checking the clicker is an admin (a
// refusal is answered ephemerally and audited); the owner is told; the surface is redrawn
// so the row is gone, or the admin is told it is done.
import { z } from 'zod';
import { refuse } from '../../src/core/refusal.js';
import type { AccountRow } from '../../src/store/schema.js';
import { helpdeskActionDoneMessage } from '../blocks/helpdesk-answers.js';
import { lockedRowOffset } from '../blocks/locked-list.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { BLOCKS } from '../ids.js';
import { unlockNow } from '../flows/admin-actions.js';
import { lockedPage, showLockedPage, userStatusMessage } from '../flows/helpdesk-lists.js';
import type { Asker } from '../who.js';
import { answerClick, redrawClicked, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

const accountIdValue = z.uuid();

/** Redraws what held the button; false when there is nothing to redraw (the Home tab). */
async function redraw(ctx: HandlerContext, args: ButtonArgs, asker: Asker, account: AccountRow): Promise<boolean> {
  const blockId = args.action.block_id;
  if (blockId === BLOCKS.userStatusActions) return redrawClicked(ctx, args, await userStatusMessage(ctx, asker, account));
  const offset = lockedRowOffset(blockId);
  if (offset === null) return false;
  return showLockedPage(ctx, args, await lockedPage(ctx, asker, offset));
}

export async function lockedUnlockAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, action } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const accountId = accountIdValue.safeParse(action.value);
  const out = accountId.success ? await unlockNow(ctx, asker, accountId.data) : refuse('account_not_found');
  if (!out.ok) {
    await answerClick(ctx, args, noticeMessage(out.message(asker.locale), ':no_entry_sign:'), asker.locale);
    return;
  }
  if (await redraw(ctx, args, asker, out.account)) return;
  await answerClick(ctx, args, helpdeskActionDoneMessage({ action: 'unlock', targetName: out.account.display_name, wasLocked: out.wasLocked, locale: asker.locale }), asker.locale);
}
