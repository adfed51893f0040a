// "Sign out everywhere" on the Home tab (Slack asked "are you sure?" first): ends every
// sign-in session of the clicker's own account, audited as theirs, and publishes the tab again.
import { signOutEverywhere } from '../../src/core/sessions.js';
import type { HandlerContext } from '../context.js';
import { publishHome } from '../flows/home-view.js';
import type { ButtonArgs } from '../reply.js';
import { whoClicked } from '../who.js';

export async function homeSignOutClick(ctx: HandlerContext, args: ButtonArgs): Promise<void> {
  await args.ack();
  const asker = await whoClicked(ctx, args);
  if (!asker) return;
  await signOutEverywhere(ctx.deps, asker.actor, asker.account.id);
  await publishHome(ctx, args.client, args.body.user.id);
}
