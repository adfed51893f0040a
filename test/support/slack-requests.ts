// The tests send what Slack sends with the builders the sandbox console uses
// (src/sandbox/slack-requests.ts), signed with the suite's signing secret.
import { sign as signWith, type SignedRequest } from '../../src/sandbox/slack-requests.js';

export { buttonClick, commandBody, eventBody, interactionBody, newTriggerId, post, type SignedRequest } from '../../src/sandbox/slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface SendOptions {
  /** Seconds since the epoch for the signature (default: `nowMs`). */
  timestamp?: number;
  nowMs: number;
  retryNum?: number;
  /** Replace the computed signature. */
  signature?: string;
  secret?: string;
}

export function sign(body: string, contentType: string, opts: SendOptions): SignedRequest {
  return signWith(body, contentType, { ...opts, secret: opts.secret ?? SIGNING_SECRET });
}
