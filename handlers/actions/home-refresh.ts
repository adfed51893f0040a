// "Refresh" on the Home tab: publish it again.
import type { HandlerContext } from '../context.js';
import { publishHome } from '../flows/home-view.js';
import type { ButtonArgs } from '../reply.js';

export async function homeRefreshClick(ctx: HandlerContext, { ack, body, client }: ButtonArgs): Promise<void> {
  await ack();
  await publishHome(ctx, client, body.user.id);
}
