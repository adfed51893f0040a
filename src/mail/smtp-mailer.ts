// The mailer for SMTP_URL: nodemailer over a small pool of connections. `smtp://` upgrades
// with STARTTLS whenever the server offers it; `smtps://` is TLS from the first byte.
// The job's Message-ID goes on the wire, so a retried job is recognisably the same email.
// A failed send throws: the email worker's retry (BullMQ backoff) takes it from there.
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.js';
import type { Mailer, MailMessage } from './mailer.js';

export interface SmtpMailerOptions {
  /** smtp://[user:pass@]host[:port] or smtps://…; nodemailer options may ride in the query. */
  url: string;
  logger: Logger;
  /** Pooled connections (default 3). */
  maxConnections?: number;
}

export function createSmtpMailer(opts: SmtpMailerOptions): Mailer {
  const log = opts.logger.child({ mailer: 'smtp' });
  // The object's keys apply where the URL does not set them (host, port, secure, auth come from it).
  const transport = nodemailer.createTransport({
    url: opts.url,
    pool: true,
    maxConnections: opts.maxConnections ?? 3,
    maxMessages: 100,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  transport.on('error', (err: Error) => log.warn({ err: err.message }, 'smtp pool error'));

  return {
    async send(msg: MailMessage): Promise<void> {
      const info = await transport.sendMail({
        messageId: msg.messageId,
        from: msg.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html === undefined ? {} : { html: msg.html }),
      });
      if (info.rejected.length > 0) {
        throw new Error(`smtp server rejected ${info.rejected.length} recipient(s): ${info.response}`);
      }
    },
    close(): Promise<void> {
      transport.close();
      return Promise.resolve();
    },
  };
}
