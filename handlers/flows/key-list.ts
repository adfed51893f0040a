// What `/access-key list`, the Home tab and the Rotate / Revoke buttons share: the key list
// of one account as the viewer may see it, and the answer to a click on one key (the
// core decides who may; the list is redrawn from the store afterwards).
import { findAccountById } from '../../src/store/accounts.js';
import { listKeysOf, revokeAccessKey, rotateAccessKey } from '../../src/core/access-keys.js';
import { recordDirectAction } from '../../src/core/direct-actions.js';
import { refuse } from '../../src/core/refusal.js';
import { keyActionDoneMessage, keyListMessage, timeLeft } from '../blocks/access-keys.js';
import { noticeMessage } from '../blocks/notice.js';
import { say } from '../blocks/words.js';
import type { HandlerContext } from '../context.js';
import { helpdeskEffects } from '../helpdesk-channel.js';
import { KeyIdValue } from '../ids.js';
import { answerClick, redrawClicked, type ButtonArgs } from '../reply.js';
import { whoClicked, type Asker } from '../who.js';
import { publishHome } from './home-view.js';
import type { SlackMessage } from '../blocks/elements.js';

/** The list message of `accountId`'s keys for `asker` (a refusal's notice when they may not see it). */
export async function keyListFor(ctx: HandlerContext, asker: Asker, accountId: string): Promise<SlackMessage> {
  const listed = await listKeysOf(ctx.deps, asker.actor, accountId);
  if (!listed.ok) return noticeMessage(listed.message(asker.locale), ':no_entry_sign:');
  const owner = accountId === asker.account.id ? null : await findAccountById(ctx.deps.db, accountId);
  return keyListMessage({ keys: listed.keys, ownerName: owner ? owner.display_name : null, now: ctx.deps.clock.now(), tz: asker.tz, locale: asker.locale });
}

export type KeyClick = 'rotate' | 'replace_lost' | 'revoke' | 'revoke_leaked';

/** Rotate, I lost it, Revoke or Revoke as leaked on one key, from a list message or the Home tab. */
export async function keyClick(ctx: HandlerContext, args: ButtonArgs, what: KeyClick): Promise<void> {
  await args.ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  const { locale } = asker;
  const keyId = KeyIdValue.safeParse(args.action.value).data;
  if (!keyId) {
    await answerClick(ctx, args, noticeMessage(refuse('key_not_found').message(locale), ':no_entry_sign:'), locale);
    return;
  }
  let answer: SlackMessage;
  let ownerId: string | null = null;
  if (what === 'rotate' || what === 'replace_lost') {
    const out = await rotateAccessKey(ctx.deps, asker.actor, keyId, { lost: what === 'replace_lost' });
    if (!out.ok) answer = noticeMessage(out.message(locale), ':no_entry_sign:');
    else {
      ownerId = out.key.account_id;
      await recordDirectAction(ctx.deps, asker.actor, { action: 'rotate_access_key', accountId: ownerId, facts: { detail: `${keyId.slice(0, 8)}…` } });
      const owner = await findAccountById(ctx.deps.db, ownerId);
      const told = owner?.slack_user_id ? await helpdeskEffects(ctx, args.client).offerKey(owner, out.key.id) : false;
      const left = out.oldKey.expires_at !== null && out.oldKey.status !== 'revoked' ? out.oldKey.expires_at - ctx.deps.clock.now() : 0;
      const shown = { keyId: `${keyId.slice(0, 8)}…` };
      const text = !told
        ? say(locale, 'accessKeys.rotatedNotTold')
        : left > 0
          ? say(locale, 'accessKeys.rotated', { ...shown, left: timeLeft(left) })
          : say(locale, 'accessKeys.rotatedNow', shown);
      answer = keyActionDoneMessage({ text });
    }
  } else {
    const leaked = what === 'revoke_leaked';
    const out = await revokeAccessKey(ctx.deps, asker.actor, keyId, { leaked });
    if (!out.ok) answer = noticeMessage(out.message(locale), ':no_entry_sign:');
    else {
      ownerId = out.key.account_id;
      // A leak has its own ticket (opened by the core); a plain revoke is filed as done.
      if (!leaked) await recordDirectAction(ctx.deps, asker.actor, { action: 'revoke_access_key', accountId: ownerId, facts: { detail: `${keyId.slice(0, 8)}…` } });
      answer = keyActionDoneMessage({ text: say(locale, leaked ? 'accessKeys.revokedLeaked' : 'accessKeys.revoked', { keyId: `${keyId.slice(0, 8)}…` }) });
    }
  }
  // The list the click came from is drawn again from the store: the Home tab, or the message.
  if (args.body.view?.type === 'home') await publishHome(ctx, args.client, args.body.user.id);
  else if (ownerId) await redrawClicked(ctx, args, await keyListFor(ctx, asker, ownerId));
  await answerClick(ctx, args, answer, locale);
}
