// "Next page" of `/helpdesk locked` (and "Show all" on the Home tab): the next page of
// locked accounts, drawn where the button was — the ephemeral list in place, a modal
// updated, or, from the Home tab, a modal opened. Agents and admins only.
import { z } from 'zod';
import { authorizeAgent } from '../../src/core/authority.js';
import { lockedListMessage } from '../blocks/locked-list.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { lockedPage, showLockedPage } from '../flows/helpdesk-lists.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

const offsetValue = z
  .string()
  .regex(/^\d{1,6}$/)
  .transform(Number);

export async function lockedPageAction(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  const { ack, action } = args;
  await ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const refusal = await authorizeAgent(ctx.deps, asker.actor, 'list_locked');
  if (refusal) {
    await answerClick(ctx, args, noticeMessage(refusal.message(asker.locale), ':no_entry_sign:'), asker.locale);
    return;
  }
  const offset = offsetValue.safeParse(action.value);
  const page = await lockedPage(ctx, asker, offset.success ? offset.data : 0);
  if (!(await showLockedPage(ctx, args, page))) await answerClick(ctx, args, lockedListMessage(page), asker.locale);
}
