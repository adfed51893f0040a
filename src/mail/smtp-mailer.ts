// The mailer for SMTP_URL: nodemailer over a small pool of connections. `smtps://` is TLS
// from the first byte. `smtp://` must upgrade with STARTTLS (requireTLS) unless SMTP_TLS=off:
// a server that doesn't offer it gets no envelope, and the send fails instead of going in clear.
// The job's Message-ID goes on the wire, so a retried job is recognisably the same email.
// A failed send throws: the email worker's retry (BullMQ backoff) takes it from there.
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { SMTP_TLS_QUERY_KEY, type SmtpTls } from '../config.js';
import type { Logger } from '../logger.js';
import type { Mailer, MailMessage } from './mailer.js';

export interface SmtpMailerOptions {
  /** smtp://[user:pass@]host[:port] or smtps://…; nodemailer options may ride in the query, TLS ones may not. */
  url: string;
  /** SMTP_TLS: `required` (STARTTLS on smtp://) or `off` (smtp:// in clear, for a local relay only). */
  tls: SmtpTls;
  logger: Logger;
  /** Pooled connections (default 5, nodemailer's own default, which most relays accept from one client). */
  maxConnections?: number;
  /**
   * Tests only: a PEM certificate to trust besides the system's (a self-signed test sink).
   * Never read from the environment; certificates are always verified.
   */
  trustedCa?: string;
}

export function createSmtpMailer(opts: SmtpMailerOptions): Mailer {
  const log = opts.logger.child({ mailer: 'smtp' });
  const url = new URL(opts.url);
  // loadConfig refuses these already; checked again for a mailer built from a bare URL.
  const tlsKeys = [...url.searchParams.keys()].filter((k) => SMTP_TLS_QUERY_KEY.test(k));
  if (tlsKeys.length > 0) throw new Error(`smtp url must not set ${tlsKeys.join(', ')}: SMTP_TLS decides TLS`);
  const implicitTls = url.protocol === 'smtps:';
  if (implicitTls && opts.tls === 'off') throw new Error('SMTP_TLS=off does not apply to smtps:// (TLS from the first byte)');
  if (opts.tls === 'off') log.warn('SMTP_TLS=off: email leaves in clear (meant for a relay on the same host)');

  // The object's keys apply where the URL does not set them (host, port, secure, auth come
  // from it; the TLS keys cannot, see above).
  // nodemailer (2.7 MB of heap) loads with the first email, not at start: an idle server
  // sends none, and the pool opens its connections on the first send either way.
  let pool: Promise<Transporter<SMTPPool.SentMessageInfo>> | undefined;
  const transport = () => (pool ??= import('nodemailer').then(({ default: nodemailer }) => {
    const created = nodemailer.createTransport({
      url: opts.url,
      pool: true,
      maxConnections: opts.maxConnections ?? 5,
      maxMessages: 100,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      // off means off: no STARTTLS even when offered, so a relay's self-signed certificate can't fail the send.
      requireTLS: !implicitTls && opts.tls === 'required',
      ignoreTLS: !implicitTls && opts.tls === 'off',
      tls: {
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        ...(opts.trustedCa === undefined ? {} : { ca: opts.trustedCa }),
      },
    });
    created.on('error', (err: Error) => log.warn({ err: err.message }, 'smtp pool error'));
    return created;
  }));

  return {
    async send(msg: MailMessage): Promise<void> {
      const info = await (await transport()).sendMail({
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
    async close(): Promise<void> {
      if (pool) (await pool).close();
    },
  };
}
