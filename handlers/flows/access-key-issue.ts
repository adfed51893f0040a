// Issuing an access key from Slack (an admin's `/access-key @user`, or an approved
// request): the key is made pending reveal and its owner gets a DM with "Reveal once".
// The issuer is told only that it went out; the secret does not exist until the owner
// presses the button.
import type { webApi } from '@slack/bolt';
import { issueAccessKey } from '../../src/core/access-keys.js';
import type { Actor } from '../../src/core/deps.js';
import { findAccountById } from '../../src/core/identity.js';
import { ok, type Outcome } from '../../src/core/refusal.js';
import type { AccountRow } from '../../src/store/schema.js';
import { keyRevealMessage } from '../blocks/key-reveal.js';
import type { HandlerContext } from '../context.js';
import { sendDirectMessage } from './direct-message.js';

export async function issueKeyToOwner(
  ctx: HandlerContext,
  client: webApi.WebClient,
  actor: Actor,
  ownerId: string,
): Promise<Outcome<{ keyId: string; owner: AccountRow; told: boolean }>> {
  const issued = await issueAccessKey(ctx.deps, actor, ownerId);
  if (!issued.ok) return issued;
  const owner = (await findAccountById(ctx.deps.db, ownerId))!;
  const locale = owner.locale;
  const dm = owner.slack_user_id ? await sendDirectMessage(ctx, client, owner.slack_user_id, keyRevealMessage({ keyId: issued.key.id, locale })) : null;
  return ok({ keyId: issued.key.id, owner, told: dm !== null });
}
