// The one place that picks how email leaves: SMTP when SMTP_URL is set, else the outbox.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Mailer } from './mailer.js';
import { createOutboxMailer } from './outbox-mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

export type { Mailer, MailMessage } from './mailer.js';

export function createMailer(config: Pick<Config, 'smtpUrl' | 'dataDir'>, logger: Logger): Mailer {
  return config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, logger }) : createOutboxMailer({ dataDir: config.dataDir });
}
