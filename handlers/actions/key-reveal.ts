// "Reveal once": the key's owner (and nobody else) gets a modal with the secret, made at
// this click; a second click, or anyone else's, gets a modal saying why not. The DM then
// loses its button. Should Slack refuse to open the modal, the unseen secret is dropped
// and the key goes back to waiting, so the owner can press again.
import { z } from 'zod';
import { revealAccessKey, undoReveal } from '../../src/core/access-keys.js';
import { refuse } from '../../src/core/refusal.js';
import type { ModalView } from '../blocks/elements.js';
import { keyRevealedMessage, keyRevealModal, keyRevealRefusedModal } from '../blocks/key-reveal.js';
import type { HandlerContext } from '../context.js';
import { whoIsAsking } from '../who.js';
import type { ButtonArgs } from '../reply.js';

const KeyId = z.string().regex(/^[0-9a-f]{24}$/);

export async function keyRevealClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  await args.ack();
  const { body, client, action } = args;
  const who = await whoIsAsking(ctx, client, body.user.id);
  const locale = who.ok ? who.asker.locale : who.locale;
  const keyId = KeyId.safeParse(action.value).data ?? null;
  let view: ModalView;
  let revealedBy = null;
  if (!who.ok) view = keyRevealRefusedModal({ message: who.answer, locale });
  else if (!keyId) view = keyRevealRefusedModal({ message: refuse('key_not_found').message(locale), locale });
  else {
    const outcome = await revealAccessKey(ctx.deps, who.asker.actor, keyId);
    if (outcome.ok) revealedBy = who.asker;
    view = outcome.ok ? keyRevealModal({ accessKey: outcome.accessKey, locale }) : keyRevealRefusedModal({ message: outcome.message(locale), locale });
  }
  try {
    await client.views.open({ trigger_id: body.trigger_id, view });
  } catch (err) {
    ctx.logger.warn({ err }, 'could not open the access key modal');
    if (revealedBy && keyId) await undoReveal(ctx.deps, revealedBy.actor, keyId);
    return;
  }
  if (revealedBy && keyId && body.channel?.id && body.message?.ts) {
    const now = ctx.deps.clock.now();
    const done = keyRevealedMessage({ keyId, at: now, now, tz: revealedBy.tz, locale });
    await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: done.text, blocks: done.blocks }).catch((err: unknown) => {
      ctx.logger.warn({ err }, 'could not update the access key message');
    });
  }
}
