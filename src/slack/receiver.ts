// A Bolt receiver that is a route on keydesk's own HTTP server (POST /slack/events).
// Before Bolt sees anything: the body limit (1 MB, enforced by the server before the
// signature is computed), the v0 signature with a 5-minute window both ways on our
// clock, ssl_check and url_verification answered here. Then Bolt's ack() becomes the
// HTTP response, so Slack gets its answer within 3 seconds whatever the listener does next.
// Most deliveries are acked with nothing at all (acksEmpty: commands, clicks, events):
// those are answered on arrival, before Bolt runs, and Bolt then runs a few at a time
// (FOLLOW_UPS), so a burst of 200 commands is acked as fast as they can be read rather
// than behind 200 listeners' store queries and Slack calls. A listener still running after
// FOLLOW_UP_SLOT_MS gives its slot up (it goes on), so a hung one never stalls the rest.
// A modal's submission (its ack may carry errors) and an options request (its ack is the
// options) still wait for Bolt.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../logger.js';
import { json, type Route, type WebRequest, type WebResponse } from '../web/http.js';
import { mediaTypeOf } from '../web/request-body.js';
import { Semaphore } from '../core/semaphore.js';
import { checkSignature } from './signature.js';

export const SLACK_MAX_BODY = 1024 * 1024;
const SLACK_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded'];
/** Slack waits 3 s; like Bolt's HTTPReceiver we give up on a listener that never acks just after. */
const ACK_TIMEOUT_MS = 3001;
/** Deliveries acked on arrival that Bolt runs at once; the rest wait their turn, in order. They wait on Slack and the store, so a few keep 2 cores busy. */
const FOLLOW_UPS = 8;
/** How long one acked delivery may hold its slot. */
const FOLLOW_UP_SLOT_MS = 10_000;

export interface HttpReceiverOptions {
  signingSecret: string;
  clock: Clock;
  logger: Logger;
  /** Answer only after the listener finished (deterministic tests); production acks first. */
  processBeforeResponse?: boolean;
  /** Tests only: FOLLOW_UP_SLOT_MS. */
  followUpSlotMs?: number;
}

type Body = Record<string, unknown>;

function parseBody(contentType: string, raw: Buffer): Body | null {
  const text = raw.toString('utf8');
  try {
    if (/^application\/json\b/i.test(contentType)) {
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Body) : null;
    }
    if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      const form = Object.fromEntries(new URLSearchParams(text));
      if (typeof form.payload === 'string') {
        const payload: unknown = JSON.parse(form.payload);
        return payload && typeof payload === 'object' ? (payload as Body) : null;
      }
      return form;
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Deliveries whose ack carries nothing, whatever the listener: a slash command (keydesk's
 * answer goes to its response_url), a click, an event, a closed modal, a shortcut. Their
 * listeners' ack() is then a no-op (a body given to it is logged and dropped).
 */
export function acksEmpty(body: Body): boolean {
  if (typeof body.command === 'string') return true;
  return ['block_actions', 'event_callback', 'view_closed', 'shortcut', 'message_action'].includes(String(body.type));
}

function ackResponse(response: unknown): WebResponse {
  if (response === undefined || response === null || response === '') return { status: 200 };
  if (typeof response === 'string') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: response };
  return json(200, response);
}

export class HttpSlackReceiver implements Receiver {
  private app: App | undefined;
  private readonly followUps = new Semaphore(FOLLOW_UPS);

  constructor(private readonly options: HttpReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  route(): Route {
    return { method: 'POST', path: '/slack/events', maxBody: SLACK_MAX_BODY, handle: (req) => this.handle(req) };
  }

  /** Bolt on a delivery already acked; resolves when it is done or has held its slot long enough. */
  private runAcked(app: App, event: ReceiverEvent): Promise<void> {
    const { logger } = this.options;
    const body = event.body;
    const done = app.processEvent(event).catch((err: unknown) => logger.error({ err }, 'slack listener failed'));
    let timer: NodeJS.Timeout | undefined;
    const slotEnds = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        logger.warn({ type: body.type, command: body.command }, 'slack listener still running; its slot goes to the next delivery');
        resolve();
      }, this.options.followUpSlotMs ?? FOLLOW_UP_SLOT_MS);
      timer.unref();
    });
    return Promise.race([done, slotEnds]).finally(() => clearTimeout(timer));
  }

  private async handle(req: WebRequest): Promise<WebResponse> {
    const { logger, clock } = this.options;
    const raw = await req.body();
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const check = checkSignature(
      this.options.signingSecret,
      { signature: header('x-slack-signature'), timestamp: header('x-slack-request-timestamp') },
      raw,
      clock.now(),
    );
    if (!check.ok) {
      logger.warn({ reason: check.reason, client: req.clientAddress }, 'slack request refused');
      return json(401, { error: 'invalid_request' });
    }
    // Signed, but neither of the two types Slack sends: a 415 (only after the signature,
    // so an unsigned caller learns nothing but 401).
    if (!SLACK_MEDIA_TYPES.includes(mediaTypeOf(req.headers))) return json(415, { error: 'unsupported_media_type' });
    const body = parseBody(String(header('content-type') ?? ''), raw);
    if (!body) return json(400, { error: 'bad_request' });
    // Slack's certificate check: answer it, dispatch nothing in it.
    if (body.ssl_check !== undefined) return { status: 200 };
    if (body.type === 'url_verification') return json(200, { challenge: typeof body.challenge === 'string' ? body.challenge : '' });

    const app = this.app;
    if (!app) return json(503, { error: 'not_ready' });
    const retryNum = Number(header('x-slack-retry-num') ?? '') || undefined;
    const retryReason = header('x-slack-retry-reason');

    if (!this.options.processBeforeResponse && acksEmpty(body)) {
      const event: ReceiverEvent = {
        body,
        retryNum,
        retryReason,
        ack: (response?: unknown) => {
          if (ackResponse(response).body !== undefined) logger.warn({ type: body.type, command: body.command }, 'an ack body was dropped: this delivery was acked on arrival');
          return Promise.resolve();
        },
      };
      // After this answer is written (setImmediate), and a few at a time.
      setImmediate(() => void this.followUps.run(() => this.runAcked(app, event)));
      return { status: 200 };
    }

    return new Promise<WebResponse>((resolve) => {
      let acked: WebResponse | undefined;
      let answered = false;
      const answer = (r: WebResponse) => {
        if (!answered) {
          answered = true;
          resolve(r);
        }
      };
      const timer = setTimeout(() => {
        if (!acked) logger.error({ type: body.type, command: body.command }, 'slack listener did not ack within 3 s');
        answer(acked ?? json(500, { error: 'no_ack' }));
      }, ACK_TIMEOUT_MS);
      const event: ReceiverEvent = {
        body,
        retryNum,
        retryReason,
        ack: (response?: unknown) => {
          if (acked) return Promise.resolve();
          acked = ackResponse(response);
          if (!this.options.processBeforeResponse) {
            clearTimeout(timer);
            answer(acked);
          }
          return Promise.resolve();
        },
      };
      app
        .processEvent(event)
        .catch((err: unknown) => logger.error({ err }, 'slack listener failed'))
        .finally(() => {
          if (this.options.processBeforeResponse || !acked) {
            clearTimeout(timer);
            answer(acked ?? { status: 200 });
          }
        });
    });
  }
}
