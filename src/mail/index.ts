// The one place that picks how email leaves: SMTP when SMTP_URL is set, else the outbox.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Mailer } from './mailer.js';
import { createOutboxMailer } from './outbox-mailer.js';
import { createSmtpMailer, type SmtpMailerOptions } from './smtp-mailer.js';

export type { Mailer, MailMessage } from './mailer.js';

/** `test` holds what only a test may inject (a CA to trust for a self-signed sink). */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'smtpTls' | 'dataDir'>,
  logger: Logger,
  test: Pick<SmtpMailerOptions, 'trustedCa'> = {},
): Mailer {
  return config.smtpUrl
    ? createSmtpMailer({ url: config.smtpUrl, tls: config.smtpTls, logger, ...test })
    : createOutboxMailer({ dataDir: config.dataDir });
}
