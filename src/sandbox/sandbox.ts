// `npm run sandbox` as a function (the browser tests start it too): the Slack emulator
// with the sandbox's people and channels, keydesk itself with Slack pointed at the
// emulator (HTTP or Socket Mode), the embedded SQLite store and outbox mail under its own
// DATA_DIR, seeded on first start, and the console's routes on keydesk's own server.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startApp, type KeydeskApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import { ConsoleActions, type SlashCommand, type Team } from './console/console-actions.js';
import { consoleRoutes } from './console/console-routes.js';
import { ConsoleState } from './console/console-state.js';
import { httpDelivery, socketDelivery } from './console/delivery.js';
import { Inbox } from './console/inbox.js';
import { HELPDESK_CHANNEL, SANDBOX_PEOPLE } from './people.js';
import { readSeedFile, seedSandbox } from './seed.js';
import { startSlackEmulator, type SlackEmulator } from './slack-emulator.js';

export interface SandboxOptions {
  dataDir: string;
  port: number;
  /** Start over: forget the store, the workspace and the mail. */
  reset?: boolean;
  /** Talk to keydesk over Socket Mode instead of signed HTTP. */
  socket?: boolean;
  /** More settings for keydesk (tests: their own Redis prefix); the sandbox's own win over none of Slack's. */
  env?: Record<string, string | undefined>;
  logger: Logger;
}

export interface Sandbox {
  url: string;
  app: KeydeskApp;
  emulator: SlackEmulator;
  state: ConsoleState;
  config: Config;
  /** Whether this start seeded the workspace (a first start or --reset). */
  seeded: boolean;
  close(): Promise<void>;
}

const MANIFEST = new URL('../../manifest.yml', import.meta.url);

export async function manifestCommands(): Promise<SlashCommand[]> {
  const manifest = parseYaml(await readFile(MANIFEST, 'utf8')) as { features?: { slash_commands?: Array<{ command: string; description?: string; usage_hint?: string }> } };
  return (manifest.features?.slash_commands ?? []).map((c) => ({
    command: c.command, description: c.description ?? '', ...(c.usage_hint ? { usageHint: c.usage_hint } : {}),
  }));
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const dataDir = path.resolve(options.dataDir);
  if (options.reset) await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const emulator = await startSlackEmulator({ host: '127.0.0.1', botToken: `xoxb-sandbox-${randomBytes(6).toString('hex')}`, appToken: `xapp-sandbox-${randomBytes(6).toString('hex')}` });
  for (const p of SANDBOX_PEOPLE) {
    emulator.addUser({
      id: p.slackId, name: p.handle, real_name: p.name, email: p.email, tz: p.tz, locale: p.slackLocale,
      is_admin: p.role === 'admin' || p.role === 'primary_admin', is_owner: p.role === 'primary_admin',
    });
  }
  const state = new ConsoleState(emulator, path.join(dataDir, 'slack-workspace.json'));
  // A fresh secret each start: only this process signs, and only this process checks.
  const signingSecret = randomBytes(24).toString('hex');
  const base = `http://127.0.0.1:${options.port}`;
  const config = loadConfig({
    LOCKOUT_DURATION_SECONDS: '300', // the seeded lock ends in five minutes, so its end can be watched
    QUEUE_PREFIX: '{keydesk-sandbox}',
    LOG_LEVEL: 'warn',
    ...options.env,
    NODE_ENV: 'development',
    PORT: String(options.port),
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    SMTP_URL: '',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_APP_TOKEN: options.socket ? emulator.appToken : '',
    SLACK_API_URL: emulator.url,
    HELPDESK_CHANNEL: HELPDESK_CHANNEL.id,
  });

  const team: Team = { team_id: emulator.teamId, team_domain: 'keydesk-sandbox', api_app_id: emulator.appId };
  const delivery = options.socket ? socketDelivery(emulator, team) : httpDelivery({ eventsUrl: `${base}/slack/events`, signingSecret, team });
  const commands = await manifestCommands();
  const actions = new ConsoleActions(state, delivery, commands, team);
  let app: KeydeskApp;
  try {
    app = await startApp({
      config, logger: options.logger, host: '127.0.0.1',
      extraRoutes: consoleRoutes({ state, actions, inbox: new Inbox(path.join(dataDir, 'outbox')), commands, dataDir, mode: delivery.mode, hosts: [`127.0.0.1:${options.port}`, `localhost:${options.port}`] }),
    });
  } catch (err) {
    await state.close();
    await emulator.close();
    throw err;
  }
  const seeded = (await readSeedFile(dataDir)) === null;
  if (seeded) await seedSandbox(app.deps, dataDir, config.lockout.threshold);
  if (options.socket) await emulator.socketConnected();

  return {
    url: `${base}/sandbox`, app, emulator, state, config, seeded,
    async close() {
      await app.close();
      await state.close();
      await emulator.close();
    },
  };
}
