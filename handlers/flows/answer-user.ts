// Answering the person who clicked, only them. A click in a message comes with a
// response_url: an ephemeral answer under it (leaving the message alone), or the message
// redrawn in place. A click in a modal changes the modal; on the Home tab, where there is
// neither, a modal opens with the click's trigger_id; when Slack refuses, a DM.
import { answerTitle, messageModal } from '../blocks/answer-modal.js';
import type { SlackMessage } from '../blocks/elements.js';
import type { HandlerContext } from '../context.js';
import type { ButtonArgs } from './click-answer.js';
import { sendDirectMessage } from './direct-message.js';
import { noticeMessage } from '../blocks/notice.js';
import { whoIsAsking, type Asker } from '../who.js';

export type { ButtonArgs } from './click-answer.js';

/** Whether the click came from a message (which can be answered or redrawn in place). */
function clickedInMessage(args: ButtonArgs): boolean {
  return typeof args.body.response_url === 'string' && args.body.response_url !== '' && typeof args.respond === 'function';
}

export async function answerClicker(ctx: HandlerContext, args: ButtonArgs, message: SlackMessage, locale: 'en' | 'fr' = 'en'): Promise<void> {
  const { body, client } = args;
  try {
    if (body.view?.type === 'modal') {
      await client.views.update({ view_id: body.view.id, view: messageModal({ title: answerTitle('keydesk', locale), message, locale }) });
      return;
    }
    if (clickedInMessage(args)) {
      await args.respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: messageModal({ title: answerTitle('keydesk', locale), message, locale }) });
    return;
  } catch (err) {
    ctx.logger.warn({ err, action: body.actions[0]?.action_id }, 'could not answer a click in place; sending a DM');
  }
  await sendDirectMessage(ctx, client, body.user.id, message);
}

/** Redraws the clicked message in place (an ephemeral list, a status card). False when there is none. */
export async function redrawClicked(ctx: HandlerContext, args: ButtonArgs, message: SlackMessage): Promise<boolean> {
  if (!clickedInMessage(args)) return false;
  try {
    await args.respond({ response_type: 'ephemeral', replace_original: true, text: message.text, blocks: message.blocks });
    return true;
  } catch (err) {
    ctx.logger.warn({ err }, 'could not redraw the clicked message');
    return false;
  }
}

/** Who clicked. Someone without an account is told so (and gets null). */
export async function whoClicked(ctx: HandlerContext, args: ButtonArgs): Promise<Asker | null> {
  const who = await whoIsAsking(ctx, args.client, args.body.user.id);
  if (who.ok) return who.asker;
  await answerClicker(ctx, args, noticeMessage(who.answer));
  return null;
}
