// The one place that picks how an SMS leaves: SMS_URL's webhook, else the outbox.
import type { Config } from '../config.js';
import { createOutboxSms } from './outbox-sms.js';
import { createWebhookSms } from './webhook-sms.js';
import type { SmsTransport } from './transport.js';

export type { SmsMessage, SmsTransport } from './transport.js';
export { SmsRefused } from './transport.js';

export function createSmsTransport(config: Pick<Config, 'sms' | 'dataDir'>): SmsTransport {
  return config.sms.kind === 'webhook' ? createWebhookSms({ url: config.sms.url, secret: config.sms.secret }) : createOutboxSms({ dataDir: config.dataDir });
}
