// app_home_opened: publish the Home tab (only for the Home tab, not the Messages tab).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { HandlerContext } from '../context.js';
import { publishHome } from '../flows/home-view.js';

export async function appHomeOpened(ctx: HandlerContext, { event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> {
  if (event.tab !== 'home') return;
  await publishHome(ctx, client, event.user);
}
