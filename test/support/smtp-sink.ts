// A real SMTP server for tests, on a free port of 127.0.0.1: accepts anything (no auth;
// STARTTLS only when given a certificate), parses each message with mailparser and keeps
// it, with whether its session was encrypted. stop() closes the
// listener and drops open connections, so senders get ECONNREFUSED; start() listens
// again on the same port.
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait.js';

export interface SinkMessage {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html: string | undefined;
  /** Whether the session had upgraded to TLS (STARTTLS) when the message came. */
  secure: boolean;
}

export interface SinkEnvelope {
  from: string;
  secure: boolean;
}

export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  readonly messages: SinkMessage[];
  /** Every MAIL FROM the sink was sent, delivered or not: shows whether anything went in clear. */
  readonly envelopes: SinkEnvelope[];
  /** Resolves once `count` messages arrived, or one matching the predicate (which it returns). */
  waitFor(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  waitFor(match: (m: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  /**
   * Holds the next session at `phase` until release(): `connect` delays the 220 greeting (a
   * server not accepting mail yet: nothing is sent), `data` keeps a message it has received
   * whole and stored without answering 250 (the sender can't know it went through).
   * `reached` resolves when that session gets there.
   */
  hold(phase: SinkPhase): SinkHold;
  /**
   * The next `count` messages are received whole, kept in `refused`, and answered
   * `451 4.3.0 try again later` (a temporary failure: the sender retries).
   */
  refuseNext(count: number): void;
  readonly refused: SinkMessage[];
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export type SinkPhase = 'connect' | 'data';

export interface SinkHold {
  reached: Promise<void>;
  release(): void;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

export interface SmtpSinkOptions {
  /** Wait this long after storing a message before answering 250 (a slow server). */
  replyDelayMs?: number;
  /** Offer STARTTLS with this key and certificate (see test-certificate.ts); without it, no STARTTLS. */
  tls?: { key: string; cert: string };
  /**
   * Keep only the envelope and the Message-ID and Subject headers, without a MIME parse
   * (the bench: there the sink shares the machine with what it measures, and mailparser
   * costs more CPU per message than the sender). `text` and `html` stay empty.
   */
  light?: boolean;
}

/** A header's value from a raw message's header block (unfolded), or ''. */
function rawHeader(head: string, name: string): string {
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : '';
}

async function lightParse(stream: NodeJS.ReadableStream, rcptTo: string[]): Promise<{ messageId: string; to: string[]; subject: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  const raw = Buffer.concat(chunks).toString('latin1');
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  return { messageId: rawHeader(head, 'Message-ID'), to: rcptTo, subject: rawHeader(head, 'Subject') };
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const refused: SinkMessage[] = [];
  let refuseCount = 0;
  const envelopes: SinkEnvelope[] = [];
  let server: SMTPServer | undefined;
  let port = 0;
  const holds: Record<SinkPhase, Array<{ arrive: () => void; gate: Promise<void> }>> = { connect: [], data: [] };
  /** Waits at `phase` when a hold is queued for it, then answers. */
  const passAt = (phase: SinkPhase, answer: () => void): void => {
    const held = holds[phase].shift();
    if (!held) return answer();
    held.arrive();
    void held.gate.then(answer);
  };

  const listen = async (): Promise<void> => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: opts.tls ? ['AUTH'] : ['STARTTLS', 'AUTH'],
      ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
      logger: false,
      // Pooled senders keep connections open: on stop(), drop them after 50 ms, not 30 s.
      closeTimeout: 50,
      size: 1024 * 1024,
      onConnect(_session, callback) {
        passAt('connect', () => callback());
      },
      onMailFrom(address, session, callback) {
        envelopes.push({ from: address.address, secure: session.secure });
        callback();
      },
      onData(stream, session, callback) {
        const parse = opts.light
          ? lightParse(stream, session.envelope.rcptTo.map((r) => r.address)).then((p) => ({ ...p, text: '', html: undefined }))
          : simpleParser(stream).then((parsed) => ({
              messageId: parsed.messageId ?? '',
              to: addresses(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: parsed.html === false ? undefined : parsed.html,
            }));
        parse
          .then((parsed) => {
            const message: SinkMessage = { ...parsed, secure: session.secure };
            if (refuseCount > 0) {
              refuseCount -= 1;
              refused.push(message);
              callback(Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 }));
              return;
            }
            messages.push(message);
            passAt('data', () => {
              if (opts.replyDelayMs) setTimeout(() => callback(), opts.replyDelayMs);
              else callback();
            });
          })
          .catch((err: Error) => callback(err));
      },
    });
    s.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.server.off('error', reject);
        resolve();
      });
    });
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };

  const stop = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    messages,
    refused,
    envelopes,
    refuseNext(count) {
      refuseCount += count;
    },
    waitFor: ((target: number | ((m: SinkMessage) => boolean), timeoutMs = 10_000) =>
      typeof target === 'number'
        ? waitFor(() => messages.length >= target && messages, timeoutMs)
        : waitFor(() => messages.find(target), timeoutMs)) as SmtpSink['waitFor'],
    hold(phase) {
      let arrive = () => {};
      let release = () => {};
      const reached = new Promise<void>((resolve) => (arrive = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      holds[phase].push({ arrive, gate });
      return { reached, release };
    },
    stop,
    async start() {
      if (!server) await listen();
    },
    close: stop,
  };
}
