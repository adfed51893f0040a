// The mailer for machines without SMTP: each message becomes an RFC 822 .eml file in
// <dataDir>/outbox, named `<timestamp>-<message id>.eml`. Sending the same Message-ID
// again (a retried job) overwrites that message's file instead of adding a second one.
// Files appear whole: written to a temp file, then renamed into place.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type StreamTransport from 'nodemailer/lib/stream-transport';
import type { Mailer, MailMessage } from './mailer.js';

export interface OutboxMailer extends Mailer {
  readonly dir: string;
}

/** The part of a file name a Message-ID gives: `<email-1@keydesk>` → `email-1@keydesk`. */
export function messageIdFileStem(messageId: string): string {
  const stem = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_');
  if (stem === '' || /^\.+$/.test(stem)) throw new Error('a Message-ID is required');
  return stem.slice(0, 200);
}

const STAMPED = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-(.+)$/;

function timestamp(date: Date): string {
  // 2026-11-25T10-00-00-000Z: sorts by time, and is a valid file name everywhere.
  return date.toISOString().replace(/[:.]/g, '-');
}

export function createOutboxMailer(opts: { dataDir: string; now?: () => Date }): OutboxMailer {
  const dir = path.resolve(opts.dataDir, 'outbox');
  const now = opts.now ?? (() => new Date());
  // nodemailer loads with the first email, not at start (2.7 MB of heap; see smtp-mailer.ts).
  let transport: Promise<Transporter<StreamTransport.SentMessageInfo>> | undefined;
  const composer = () => (transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })));
  let ready: Promise<unknown> | undefined;

  return {
    dir,
    async send(msg: MailMessage): Promise<void> {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const stem = messageIdFileStem(msg.messageId);
      const sentAt = now();
      const info = await (await composer()).sendMail({
        messageId: msg.messageId,
        date: sentAt,
        from: msg.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html === undefined ? {} : { html: msg.html }),
      });
      const content = info.message;
      if (!Buffer.isBuffer(content)) throw new Error('the stream transport did not return a buffer');

      const fileName = `${stem}.eml`;
      const existing = (await readdir(dir)).find((name) => STAMPED.exec(name)?.[1] === fileName);
      const target = path.join(dir, existing ?? `${timestamp(sentAt)}-${fileName}`);
      const temp = path.join(dir, `.${stem}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temp, content, { mode: 0o600 });
        await rename(temp, target);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async close(): Promise<void> {
      if (transport) (await transport).close();
    },
  };
}

export interface OutboxMessage {
  /** Header names in lower case; encoded words (RFC 2047) decoded. */
  headers: Record<string, string>;
  /** The text body, transfer-decoded (the text/plain part of a multipart message). */
  text: string;
  /** The text/html part of a multipart/alternative message, transfer-decoded. */
  html?: string;
}

/**
 * Reads back one .eml this mailer wrote (text, or multipart/alternative text + html;
 * quoted-printable, base64 or 7bit),
 * so the sandbox and tests can find the link in a message. Not a general MIME parser.
 */
export function parseOutboxMessage(raw: string | Buffer): OutboxMessage {
  const source = typeof raw === 'string' ? raw : raw.toString('utf8');
  const split = /\r?\n\r?\n/.exec(source);
  const head = split ? source.slice(0, split.index) : source;
  const body = split ? source.slice(split.index + split[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeEncodedWords(line.slice(colon + 1).trim());
  }
  const boundary = /^multipart\/[^;]+;.*\bboundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    const parts = body
      .split(`--${boundary}`)
      .slice(1)
      .filter((part) => !part.startsWith('--'))
      .map((part) => parseOutboxMessage(part.replace(/^\r?\n/, '')));
    const typeOf = (part: OutboxMessage) => (part.headers['content-type'] ?? 'text/plain').toLowerCase();
    const plain = parts.find((part) => typeOf(part).startsWith('text/plain'));
    const html = parts.find((part) => typeOf(part).startsWith('text/html'));
    return { headers, text: plain?.text ?? '', ...(html ? { html: html.text } : {}) };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body).toString('utf8')
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { headers, text };
}

function decodeQuotedPrintable(input: string): Buffer {
  const soft = input.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft[i] === '=' ? soft.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const char = String.fromCodePoint(soft.codePointAt(i)!);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length - 1;
    }
  }
  return Buffer.from(bytes);
}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, mode: string, data: string) =>
      mode.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}
