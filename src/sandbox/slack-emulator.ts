// A local Slack Web API emulator for tests and `npm run sandbox`: answers the methods the app
// calls at `<url><method>` the way Slack does (token checks, required arguments, Block Kit
// limits, `{ ok: false, error }`, 429 + Retry-After), records every call, and serves Socket
// Mode (apps.connections.open + a WebSocket at /socket).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackWorkspace, type Args, type SlackResponse, type StoredMessage, type StoredView, type WorkspaceSnapshot } from './slack-methods.js';
import { SocketHub, type EnvelopeOptions, type EnvelopeType, type SocketAck } from './slack-socket.js';
import type { EmulatedUserInput, SlackUserObject, UserDirectory } from './slack-users.js';
import { parseBody, readBody, type Parsed } from './web-api-request.js';

export type { EmulatedUserInput, SlackUserObject, UserDirectory } from './slack-users.js';
export type { Args, StoredMessage, StoredView, WorkspaceSnapshot } from './slack-methods.js';
export type { EnvelopeOptions, EnvelopeType, SocketAck } from './slack-socket.js';
export { checkAttachments, checkMessageBlocks, checkView } from './block-kit-limits.js';

export interface RecordedCall {
  method: string;
  /** Arguments as the app meant them: JSON-string fields (view, blocks, attachments, metadata) parsed; no token. */
  args: Args;
  /** Date.now() when the call arrived. */
  at: number;
  token: string | undefined;
  ok: boolean;
  error?: string;
  response: SlackResponse;
}

export interface SlackEmulatorOptions {
  botToken?: string;
  appToken?: string;
  port?: number;
  host?: string;
  /** Makes the workspace part of an Enterprise Grid org with this id (auth.test says so, users carry it). */
  enterpriseId?: string;
}

export interface Hold {
  reached: Promise<void>;
  release(): void;
}

export interface FailOptions {
  /** For `ratelimited`: the Retry-After seconds (default 1); the answer is HTTP 429. */
  retryAfter?: number;
  /**
   * Answer with this HTTP status instead of 200 (a 5xx: Slack having a bad moment), the
   * `{ ok: false, error }` body alongside. The method does not run.
   */
  status?: number;
}

export interface SlackEmulator {
  /** Base URL ending in `/api/`: give it to Bolt/WebClient as `slackApiUrl`. */
  readonly url: string;
  /** The Socket Mode WebSocket URL apps.connections.open hands out. */
  readonly socketUrl: string;
  /** A response_url for a command or interaction; posts to it are recorded as method `response_url`. */
  responseUrl(id: string): string;
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly appId: string;
  readonly botId: string;
  readonly botUserId: string;
  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** The first recorded call (since the last clear) to `method` matching `predicate`, or the next one to arrive. */
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Forgets recorded calls (messages, views and users stay). */
  clear(): void;
  readonly users: UserDirectory;
  addUser(user: EmulatedUserInput): SlackUserObject;
  /**
   * The next call to `method` answers `{ ok: false, error }` (queued: call twice to fail
   * twice); `ratelimited` answers HTTP 429 with Retry-After, `opts.status` another status.
   */
  failNext(method: string, error: string, opts?: FailOptions): void;
  /**
   * The next call to `method` is held until `release()` (a slow Slack, so a test can act
   * while a listener is mid-way); `reached` resolves when that call arrives.
   */
  holdNext(method: string): Hold;
  /** Messages in a channel (D… for DMs), oldest first, thread replies included, as last updated. */
  messages(channel: string): StoredMessage[];
  /** The DM channel id conversations.open / chat.postMessage(channel: U…) give for a user. */
  dmChannelFor(userId: string): string;
  view(viewIdOrExternalId: string): StoredView | undefined;
  homeView(userId: string): StoredView | undefined;
  /** Sends a Socket Mode envelope to the connected app and resolves with its ack. */
  sendSocketEnvelope(type: EnvelopeType, payload: object, opts?: EnvelopeOptions): Promise<SocketAck>;
  socketConnected(): Promise<void>;
  /** Asks connected Socket Mode clients to reconnect (Slack's `disconnect` message). */
  requestSocketReconnect(reason?: string): void;
  /** Calls `listener` after each recorded call (the sandbox console follows the app this way); returns an unsubscribe. */
  onCall(listener: (call: RecordedCall) => void): () => void;
  /**
   * Runs a method on the workspace as Slack itself would (no token, not recorded): what
   * Slack does on a user's behalf, such as applying a response_url's replace_original.
   */
  run(method: string, args: Args): SlackResponse;
  snapshot(): WorkspaceSnapshot;
  restore(snapshot: WorkspaceSnapshot): void;
  close(): Promise<void>;
}

function summarize(c: RecordedCall): string {
  const args = JSON.stringify(c.args);
  return `${c.method}(${c.ok ? 'ok' : c.error}) ${args.length > 160 ? `${args.slice(0, 160)}…` : args}`;
}

export async function startSlackEmulator(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const botToken = opts.botToken ?? 'xoxb-test';
  const appToken = opts.appToken ?? 'xapp-test';
  const host = opts.host ?? '127.0.0.1';
  const ids = {
    teamId: 'T0KEYDESK', teamDomain: 'keydesk-sandbox', appId: 'A1', botId: 'B0KEYBOT', botUserId: 'U0KEYBOT',
    ...(opts.enterpriseId ? { enterpriseId: opts.enterpriseId } : {}),
  };
  const ws = new SlackWorkspace(ids);
  const calls: RecordedCall[] = [];
  const failures = new Map<string, Array<{ error: string; retryAfter?: number; status?: number }>>();
  const holds = new Map<string, Array<{ arrive: () => void; gate: Promise<void>; release: () => void }>>();
  let waiters: Array<{ method: string; predicate: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];

  const listeners = new Set<(call: RecordedCall) => void>();
  const record = (call: RecordedCall): void => {
    calls.push(call);
    for (const l of listeners) l(call);
    const matched = waiters.filter((w) => w.method === call.method && w.predicate(call));
    waiters = waiters.filter((w) => !matched.includes(w));
    for (const w of matched) w.resolve(call);
  };

  const tokenKind = (token: string): 'bot' | 'app' | undefined =>
    token === botToken ? 'bot' : token === appToken ? 'app' : undefined;

  /** Answers one call; returns the body and the HTTP status and headers to send. */
  const answer = (method: string, parsed: Parsed, token: string | undefined): { body: SlackResponse; status: number; headers: Record<string, string> } => {
    const plain = (body: SlackResponse) => ({ body, status: 200, headers: {} });
    const spec = ws.methods[method];
    if (!spec) return plain({ ok: false, error: 'unknown_method' });
    if (parsed.error !== undefined) return plain({ ok: false, error: parsed.error });
    if (!token) return plain({ ok: false, error: 'not_authed' });
    const kind = tokenKind(token);
    if (!kind) return plain({ ok: false, error: 'invalid_auth' });
    if (kind !== spec.token) return plain({ ok: false, error: 'not_allowed_token_type' });
    const queued = failures.get(method)?.shift();
    if (queued) {
      if (queued.status !== undefined) return { body: { ok: false, error: queued.error }, status: queued.status, headers: {} };
      if (queued.error !== 'ratelimited') return plain({ ok: false, error: queued.error });
      const retryAfter = String(queued.retryAfter ?? 1);
      return { body: { ok: false, error: 'ratelimited' }, status: 429, headers: { 'Retry-After': retryAfter } };
    }
    const body = spec.run(parsed.args);
    if (method === 'apps.connections.open' && body.ok) body.url = socketUrl;
    return plain(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    // A command's or an interaction's response_url: Slack takes a JSON message there.
    const response = /^\/response\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (response?.[1] && req.method === 'POST') {
      const raw = await readBody(req);
      let args: Args = {};
      try {
        args = JSON.parse(raw ?? '{}') as Args;
      } catch {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('invalid_payload');
        return;
      }
      record({ method: 'response_url', args: { ...args, response_id: response[1] }, at: Date.now(), token: undefined, ok: true, response: { ok: true } });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const m = /^\/api\/([A-Za-z0-9._]+)$/.exec(url.pathname);
    if (!m?.[1] || (req.method !== 'POST' && req.method !== 'GET')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: the Slack emulator serves /api/<method> and /socket');
      return;
    }
    const method = m[1];
    const raw = await readBody(req);
    if (raw === null) {
      res.writeHead(413, { 'Content-Type': 'text/plain' }).end('Request body too large');
      return;
    }
    const parsed = parseBody(raw, req.headers['content-type'] ?? '', url.searchParams);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const bodyToken = parsed.args?.token;
    const token = bearer ?? (typeof bodyToken === 'string' && bodyToken !== '' ? bodyToken : undefined);
    const args: Args = { ...(parsed.args ?? {}) };
    delete args.token;
    const hold = holds.get(method)?.shift();
    if (hold) {
      hold.arrive();
      await hold.gate;
    }
    const { body, status, headers } = answer(method, parsed, token);
    record({ method, args, at: Date.now(), token, ok: body.ok, ...(body.error ? { error: body.error } : {}), response: body });
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`Slack emulator error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  const hub = new SocketHub(server, '/socket', ids);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const socketUrl = `ws://${base}/socket`;

  return {
    url: `http://${base}/api/`,
    responseUrl: (id: string) => `http://${base}/response/${id}`,
    socketUrl,
    botToken,
    appToken,
    teamId: ids.teamId,
    appId: ids.appId,
    botId: ids.botId,
    botUserId: ids.botUserId,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitForCall(method, predicate = () => true, timeoutMs = 5000) {
      const found = calls.find((c) => c.method === method && predicate(c));
      if (found) return Promise.resolve(found);
      return new Promise<RecordedCall>((resolve, reject) => {
        const waiter = {
          method, predicate,
          resolve: (c: RecordedCall) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          const recent = calls.slice(-10).map((c) => `  ${summarize(c)}`).join('\n') || '  (none)';
          reject(new Error(`waitForCall('${method}') timed out after ${timeoutMs} ms; ${calls.length} calls recorded, the last ones:\n${recent}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    clear: () => {
      calls.length = 0;
    },
    users: ws.users,
    addUser: (user) => ws.users.addUser(user),
    failNext(method, error, failOpts = {}) {
      const queue = failures.get(method) ?? [];
      queue.push({
        error,
        ...(failOpts.retryAfter !== undefined ? { retryAfter: failOpts.retryAfter } : {}),
        ...(failOpts.status !== undefined ? { status: failOpts.status } : {}),
      });
      failures.set(method, queue);
    },
    holdNext(method) {
      let arrive = () => {};
      let release = () => {};
      const reached = new Promise<void>((resolve) => (arrive = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      holds.set(method, [...(holds.get(method) ?? []), { arrive, gate, release }]);
      return { reached, release };
    },
    messages: (channel) => ws.channelMessages(channel),
    dmChannelFor: (userId) => ws.dmChannelFor(userId),
    view: (id) => ws.view(id),
    homeView: (userId) => ws.homeView(userId),
    sendSocketEnvelope: (type, payload, envOpts) => hub.send(type, payload, envOpts),
    socketConnected: () => hub.connected(),
    requestSocketReconnect: (reason) => hub.requestReconnect(reason),
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    run(method, args) {
      const spec = ws.methods[method];
      return spec ? spec.run(args) : { ok: false, error: 'unknown_method' };
    },
    snapshot: () => ws.snapshot(),
    restore: (snapshot) => ws.restore(snapshot),
    async close() {
      for (const queued of holds.values()) for (const h of queued) h.release();
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
