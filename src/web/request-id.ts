// X-Request-Id: a proxy's id is kept, so one request can be followed from the proxy's log
// into ours; anything else gets a fresh one. The id lands in every log line and in the
// answer, so only a short id of safe characters is believed: no line breaks, quotes or
// escapes a log viewer might act on, nothing long enough to carry a payload.
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The client's X-Request-Id when it is one short, safe id; else a new UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_ID.test(header) ? header : randomUUID();
}
