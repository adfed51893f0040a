// The one Bolt app: the same listeners over HTTP (a route on our server) or Socket Mode
// (when SLACK_APP_TOKEN is set). Web API calls go to SLACK_API_URL when set. auth.test is
// called once here, at start-up: it names the installed workspace (who may be linked by
// email) and gives Bolt its bot ids, so Bolt doesn't call it again. The listeners come
// from the composition root (src/app.ts passes handlers/'s), so nothing here imports them.
import { randomBytes } from 'node:crypto';
import { App, SocketModeReceiver, webApi, type AnyMiddlewareArgs, type CodedError, type Middleware } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../logger.js';
import type { Redis } from '../redis.js';
import type { Route } from '../web/http.js';
import { boltLogger } from './bolt-logger.js';
import { countingFetch, type SlackCallMetrics } from './counting-fetch.js';
import { slackFetch } from './slack-fetch.js';
import { deliveryKey, redisDeliveryLog, type DeliveryLog } from './deliveries.js';
import { HttpSlackReceiver } from './receiver.js';
import { installedWorkspace, type WorkspaceSource } from './workspace.js';

export interface SlackRuntime {
  app: App;
  /** The HTTP route for /slack/events; null in Socket Mode. */
  route: Route | null;
  /** The installed workspace, from auth.test at start-up. */
  workspace: WorkspaceSource;
  /** Calls auth.test now, once, without retries (/readyz): resolves when Slack accepts the token. */
  authTest(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What the app runs: its listeners, and the answer to one that failed. */
export interface SlackListeners {
  /** Registers every listener on the app; `workspace` is the one auth.test named at start-up. */
  register(app: App, workspace: WorkspaceSource): void;
  /** Tells the person whose request failed (app.error); `reference` is in the error's log line too. */
  reportFailure(client: webApi.WebClient, body: Record<string, unknown>, reference: string): Promise<void>;
}

const READINESS_TIMEOUT_MS = 2000;

/** A short reference for one failure: `KD-` and 8 hex digits, easy to read out and to grep. */
export const newFailureReference = (): string => `KD-${randomBytes(4).toString('hex').toUpperCase()}`;

export interface SlackAppOptions {
  slack: NonNullable<Config['slack']>;
  listeners: SlackListeners;
  redis: Redis;
  /** Redis key namespace (the queue prefix), shared by every replica. */
  namespace: string;
  logger: Logger;
  clock: Clock;
  processBeforeResponse?: boolean;
  /** Counts every HTTP request to Slack (/metrics). */
  metrics?: SlackCallMetrics;
}

/**
 * Each delivery is handled once: a copy of one already handled, or still being handled,
 * is acknowledged and goes no further. A delivery whose listener failed is released, so
 * Slack's retry of it is handled.
 */
function onceEachDelivery(log: DeliveryLog, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    const claim = await log.claim(deliveryKey(body));
    if (claim.outcome !== 'claimed') {
      logger.info({ type: body.type, command: body.command, seen: claim.outcome }, 'slack delivery seen before: acknowledged, not handled again');
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    try {
      await args.next();
    } catch (err) {
      await claim.release().catch((releaseErr: unknown) => logger.error({ err: releaseErr }, 'could not release a failed slack delivery'));
      throw err;
    }
    // Handled: if Redis fails us here, the claim expires and a late retry runs again.
    await claim.done().catch((doneErr: unknown) => logger.error({ err: doneErr }, 'could not mark a slack delivery done'));
  };
}

/**
 * The Web API options of the listeners' client (Bolt's, and Socket Mode's). A 429 waits
 * its Retry-After and tries again, a 5xx or network error tries again after 200 ms then
 * 400 ms: two retries in all, so a listener never sits in the client's default half hour
 * of retries. `fetch` is src/slack/slack-fetch.ts's (wrapped to count calls when metrics are on).
 */
export function listenerClientOptions(apiUrl: string | undefined, fetch?: typeof globalThis.fetch) {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    ...(fetch ? { fetch } : {}),
  };
}

export async function createSlackApp(options: SlackAppOptions): Promise<SlackRuntime> {
  const { slack, logger } = options;
  const clientOptions = listenerClientOptions(slack.apiUrl, options.metrics ? countingFetch(options.metrics) : slackFetch);
  // /readyz asks Slack itself: one try, a short deadline, so a probe answers in seconds.
  const probeClient = new webApi.WebClient(slack.botToken, { ...clientOptions, retryConfig: { retries: 0 }, timeout: READINESS_TIMEOUT_MS, logger: boltLogger(logger) });
  const workspace = await installedWorkspace(new webApi.WebClient(slack.botToken, { ...clientOptions, logger: boltLogger(logger) }), logger);
  // Bolt calls auth.test itself unless it is given both bot ids.
  const known = await workspace.get();
  const httpReceiver = slack.appToken
    ? null
    : new HttpSlackReceiver({
        signingSecret: slack.signingSecret,
        clock: options.clock,
        logger,
        processBeforeResponse: options.processBeforeResponse,
      });
  // Socket Mode's own Web API client (apps.connections.open) takes the same options, so it
  // too goes to SLACK_API_URL.
  const socketReceiver = httpReceiver
    ? null
    : new SocketModeReceiver({ appToken: slack.appToken!, logger: boltLogger(logger), installerOptions: { clientOptions: { ...clientOptions } } });
  const receiver = httpReceiver ?? socketReceiver!;

  const app = new App({
    token: slack.botToken,
    ...(known ? { botId: known.botId, botUserId: known.botUserId } : {}),
    receiver,
    logger: boltLogger(logger),
    clientOptions,
    // app.error gets the request's body too, to answer the person who made it.
    extendedErrorHandler: true,
  });
  app.use(onceEachDelivery(redisDeliveryLog(options.redis, options.namespace), logger));
  options.listeners.register(app, workspace);
  // Bolt's `error()` overloads can't tell the extended handler by its argument: say which.
  app.error(async ({ error, body }: { error: CodedError; body: unknown }) => {
    const reference = newFailureReference();
    logger.error({ err: error, code: error.code, reference }, 'slack listener error');
    await options.listeners.reportFailure(app.client, body as Record<string, unknown>, reference).catch((err: unknown) =>
      logger.error({ err, reference }, 'could not tell the user about a failure'),
    );
  });

  return {
    app,
    route: httpReceiver?.route() ?? null,
    workspace,
    async authTest() {
      await probeClient.auth.test();
    },
    async start() {
      if (!httpReceiver) await app.start();
    },
    async stop() {
      // SocketModeReceiver.stop() resolves before the socket is closed; the client's own
      // disconnect() waits for the close handshake (or its timeout), and stops reconnects.
      if (socketReceiver) await socketReceiver.client.disconnect();
    },
  };
}
