// English / Français on the Home tab: the owner chooses their language (it sticks: Slack's
// locale no longer changes it), and the Home tab is published again in it.
import { z } from 'zod';
import { setLocale } from '../../src/core/locale.js';
import { LOCALES } from '../../src/core/types.js';
import { noticeMessage } from '../blocks/notice.js';
import type { HandlerContext } from '../context.js';
import { publishHome } from '../flows/home-view.js';
import { answerClick, type ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

const chosenLocale = z.enum(LOCALES);

export async function homeLanguageClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  await args.ack();
  const locale = chosenLocale.safeParse(args.action.value);
  if (!locale.success) return; // not a button keydesk drew
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const set = await setLocale(ctx.deps, asker.actor, asker.account.id, locale.data, { chosen: true });
  if (!set.ok) {
    await answerClick(ctx, args, noticeMessage(set.message(asker.locale), ':no_entry_sign:'), asker.locale);
    return;
  }
  await publishHome(ctx, args.client, args.body.user.id);
}
