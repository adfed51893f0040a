// The workspace keydesk is installed in, as Slack itself reports it (auth.test): its
// team_id and, on Enterprise Grid, its enterprise_id. Asked once at start-up and kept, so
// linking by email can check that a Slack user belongs here. It never changes for a bot
// token, so keeping it in the process is a cache, not state. If Slack could not be asked
// at start-up, the next need asks again; until then nobody is linked by email.
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';

export interface InstalledWorkspace {
  teamId: string;
  enterpriseId: string | null;
  botId: string;
  botUserId: string;
}

export interface WorkspaceSource {
  /** The installed workspace; null while Slack can't tell (auth.test failed). */
  get(): Promise<InstalledWorkspace | null>;
}

async function authTest(client: webApi.WebClient): Promise<InstalledWorkspace> {
  const res = await client.auth.test();
  if (!res.team_id || !res.user_id || !res.bot_id) throw new Error('auth.test gave no team_id, user_id or bot_id');
  return { teamId: res.team_id, enterpriseId: res.enterprise_id || null, botId: res.bot_id, botUserId: res.user_id };
}

/** Calls auth.test now; the source keeps the answer, or asks again when it failed. */
export async function installedWorkspace(client: webApi.WebClient, logger: Logger): Promise<WorkspaceSource> {
  let known: InstalledWorkspace | null = null;
  let asking: Promise<InstalledWorkspace | null> | null = null;
  const ask = (): Promise<InstalledWorkspace | null> =>
    (asking ??= authTest(client)
      .then((ws) => {
        known = ws;
        logger.info({ team: ws.teamId, enterprise: ws.enterpriseId }, 'Slack workspace (auth.test)');
        return ws;
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'auth.test failed: no Slack user is linked by email until it answers');
        return null;
      })
      .finally(() => {
        asking = null;
      }));
  await ask();
  return { get: () => (known ? Promise.resolve(known) : ask()) };
}
