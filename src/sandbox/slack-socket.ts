// Socket Mode side of the emulator: a WebSocket endpoint that greets with `hello`, sends
// envelopes and resolves each with the app's ack.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

export interface EnvelopeOptions {
  /** How long to wait for the ack; default 3000 ms, Slack's deadline. */
  timeoutMs?: number;
  /** Marks the envelope as a redelivery (`retry_attempt`, `retry_reason`), events_api only. */
  retryAttempt?: number;
  retryReason?: string;
}

interface Pending {
  resolve: (ack: SocketAck) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class SocketHub {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, Pending>();
  private connectedWaiters: Array<() => void> = [];
  /** Every message the app sent over the socket (acks included), parsed. */
  readonly received: unknown[] = [];

  constructor(server: Server, path: string, private readonly ids: { appId: string; teamId: string }) {
    this.wss = new WebSocketServer({ server, path });
    this.wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('error', () => this.sockets.delete(ws));
      ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
      ws.send(JSON.stringify({
        type: 'hello', num_connections: this.sockets.size,
        connection_info: { app_id: ids.appId }, debug_info: { host: 'emulator' },
      }));
      const waiters = this.connectedWaiters;
      this.connectedWaiters = [];
      for (const w of waiters) w();
    });
  }

  get connections(): number {
    return [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN).length;
  }

  /** Resolves once an app is connected (at once if one already is). */
  connected(): Promise<void> {
    if (this.connections > 0) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) return;
    let msg: unknown;
    try {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      msg = JSON.parse(buf.toString('utf8'));
    } catch {
      return;
    }
    this.received.push(msg);
    if (typeof msg !== 'object' || msg === null || !('envelope_id' in msg)) return;
    const ack = msg as SocketAck;
    const p = this.pending.get(ack.envelope_id);
    if (!p) return;
    this.pending.delete(ack.envelope_id);
    clearTimeout(p.timer);
    p.resolve(ack.payload === undefined ? { envelope_id: ack.envelope_id } : ack);
  }

  /** Sends one envelope to the most recently connected app and waits for its ack. */
  async send(type: EnvelopeType, payload: object, opts: EnvelopeOptions = {}): Promise<SocketAck> {
    const timeoutMs = opts.timeoutMs ?? 3000;
    const started = Date.now();
    if (this.connections === 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.connected(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(
            `sendSocketEnvelope(${type}): no Socket Mode connection within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
    }
    const ws = [...this.sockets].reverse().find((s) => s.readyState === WebSocket.OPEN);
    if (!ws) throw new Error(`sendSocketEnvelope(${type}): no open Socket Mode connection`);
    const envelopeId = randomUUID();
    const body = type === 'events_api' && !('event' in payload) ? this.wrapEvent(payload) : payload;
    const envelope = {
      envelope_id: envelopeId, type, payload: body, accepts_response_payload: type !== 'events_api',
      ...(opts.retryAttempt !== undefined ? { retry_attempt: opts.retryAttempt, retry_reason: opts.retryReason ?? 'timeout' } : {}),
    };
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`sendSocketEnvelope(${type}): no ack for envelope ${envelopeId} within ${timeoutMs} ms`));
      }, remaining);
      this.pending.set(envelopeId, { resolve, reject, timer });
      ws.send(JSON.stringify(envelope));
    });
  }

  /** Sends Slack's `disconnect` message (the app should reconnect through apps.connections.open). */
  requestReconnect(reason = 'refresh_requested'): void {
    for (const ws of this.sockets) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'emulator' } }));
  }

  async close(): Promise<void> {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('Slack emulator closed'));
    }
    this.pending.clear();
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private eventSeq = 0;

  /** An inner event (`{ type: 'app_home_opened', user, ... }`) → the event_callback Slack delivers. */
  private wrapEvent(event: object): object {
    return {
      token: 'emulator', team_id: this.ids.teamId, api_app_id: this.ids.appId, event, type: 'event_callback',
      event_id: `Ev${String(++this.eventSeq).padStart(8, '0')}`, event_time: Math.floor(Date.now() / 1000),
      authorizations: [], is_ext_shared_channel: false,
    };
  }
}
