// Answering a button where it was pressed: inside a modal, the modal changes (views.update);
// under a message (an ephemeral /login-help answer), an ephemeral reply; on the Home tab,
// where there is neither, a modal opens with the click's trigger_id.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView, SlackMessage } from '../blocks/elements.js';
import type { HandlerContext } from '../context.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export async function answerClick(ctx: HandlerContext, args: ButtonArgs, answer: { modal: ModalView; message: SlackMessage }): Promise<void> {
  const { body, client } = args;
  try {
    if (body.view?.type === 'modal') {
      await client.views.update({ view_id: body.view.id, view: answer.modal });
    } else if (!body.view && body.response_url) {
      await args.respond({ response_type: 'ephemeral', replace_original: false, text: answer.message.text, blocks: answer.message.blocks });
    } else {
      await client.views.open({ trigger_id: body.trigger_id, view: answer.modal });
    }
  } catch (err) {
    ctx.logger.warn({ err, action: body.actions[0]?.action_id }, 'could not answer a button');
  }
}
