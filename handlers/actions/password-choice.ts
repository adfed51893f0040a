// "Change my password" / "I forgot my password": in the /password modal, on the Home tab,
// or under a /login-help answer. In the modal, the first step moves it to "One moment…"
// with the hash Slack gave it: of two quick clicks only one gets past that, so a double
// click never sends two links.
import type { ViewOutput, webApi } from '@slack/bolt';
import { answerTitle } from '../blocks/answer-modal.js';
import { fallback, section } from '../blocks/elements.js';
import { noticeMessage, noticeModal } from '../blocks/notice.js';
import { passwordModalDone, passwordModalWorking, passwordOutcomeText } from '../blocks/password-modal.js';
import type { Locale } from '../../src/core/types.js';
import type { HandlerContext } from '../context.js';
import { VIEWS } from '../ids.js';
import { carryOutPasswordChoice, type PasswordChoice } from '../flows/password-choice.js';
import { whoIsAsking } from '../who.js';
import { answerClick, type ButtonArgs } from '../reply.js';

export async function passwordChoiceClick(ctx: HandlerContext, args: ButtonArgs, choice: PasswordChoice): Promise<void> {
  await args.ack();
  const { body, client } = args;
  const who = await whoIsAsking(ctx, client, body.user.id);
  if (!who.ok) {
    await answerClick(ctx, args, noticeMessage(who.answer), who.locale, noticeModal({ title: answerTitle('keydesk', who.locale), text: who.answer, locale: who.locale }));
    return;
  }
  const { locale } = who.asker;
  const view = body.view;
  if (view?.type === 'modal' && view.callback_id === VIEWS.password && !(await moveOn(ctx, client, view, locale))) return;
  const outcome = await carryOutPasswordChoice(ctx, client, who.asker, body.user.id, choice);
  const text = passwordOutcomeText(locale, outcome);
  await answerClick(ctx, args, { text: fallback(text), blocks: [section(text)] }, locale, passwordModalDone(locale, outcome));
}

/** Moves the modal on if nobody else did since this click saw it; false for the loser of a double click. */
async function moveOn(ctx: HandlerContext, client: webApi.WebClient, view: ViewOutput, locale: Locale): Promise<boolean> {
  try {
    await client.views.update({ view_id: view.id, hash: view.hash, view: passwordModalWorking(locale) });
    return true;
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code !== 'hash_conflict') ctx.logger.warn({ err }, 'could not update the password modal');
    return false;
  }
}
