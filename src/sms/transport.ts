// How keydesk sends an SMS. The outbox (SMS_URL unset or `outbox`) writes
// `<DATA_DIR>/outbox/<id>.sms.json`; the webhook POSTs a signed JSON body. The worker
// (jobs/sms.worker.ts) calls one of them; neither knows about queues or the core.
export interface SmsMessage {
  /** Stable across retries of one job: a retried outbox write replaces its file. */
  id: string;
  /** E.164, e.g. +14155550134. */
  to: string;
  text: string;
}

export interface SmsTransport {
  send(msg: SmsMessage): Promise<void>;
}

/**
 * A send that will fail the same way however often it is retried (the receiver refused
 * the request itself): the worker ends the job instead of retrying.
 */
export class SmsRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmsRefused';
  }
}
