// The SMS transport for a gateway: POST `{to, text}` as JSON to the configured URL, signed
// `X-Keydesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under
// SMS_WEBHOOK_SECRET, so the receiver can check who sent it and refuse old replays.
// A 2xx is sent; a 408, 429 or 5xx (or no answer in 10 s) is retried by the queue; any
// other 4xx is the receiver refusing the request itself (SmsRefused: not retried).
import { createHmac } from 'node:crypto';
import { SmsRefused, type SmsMessage, type SmsTransport } from './transport.js';

export const SIGNATURE_HEADER = 'X-Keydesk-Signature';

/** The header's value for `body` sent at `unixSeconds`. Receivers compute the same and compare. */
export function signSmsBody(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

export interface WebhookSmsOptions {
  /** The https:// URL (or http:// on 127.0.0.1), without the `webhook+` of SMS_URL. */
  url: string;
  secret: string;
  now?: () => number;
  timeoutMs?: number;
}

export function createWebhookSms(opts: WebhookSmsOptions): SmsTransport {
  const now = opts.now ?? Date.now;
  return {
    async send(msg: SmsMessage): Promise<void> {
      const body = JSON.stringify({ to: msg.to, text: msg.text });
      const t = Math.floor(now() / 1000);
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signSmsBody(opts.secret, t, body), 'idempotency-key': msg.id },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (res.ok) return;
      // The status only: a gateway's error body may quote the message, code included.
      const line = `SMS webhook answered ${res.status}`;
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new SmsRefused(line);
      throw new Error(line);
    },
  };
}
