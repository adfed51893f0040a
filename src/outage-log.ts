// One log line per outage, not one per failed request or reconnect attempt: a store or a
// Redis that is down makes everything fail at once, and the log should say so once.
import type { Logger } from './logger.js';

/** How long an outage stays quiet in the log after its first line. */
export const OUTAGE_LOG_QUIET_MS = 60_000;

/**
 * Logs the first error of an outage as one line (its message and code, no stack), then
 * counts the rest quietly; the first one after `quietMs` logs again with how many it
 * swallowed. `message` is the line's msg, as is.
 */
export function outageLog(log: Logger, message: string, quietMs = OUTAGE_LOG_QUIET_MS, now: () => number = Date.now) {
  let loggedAt: number | undefined;
  let suppressed = 0;
  return (err: unknown): void => {
    const at = now();
    if (loggedAt !== undefined && at - loggedAt < quietMs) {
      suppressed += 1;
      return;
    }
    const e = err as { message?: unknown; code?: unknown } | null | undefined;
    log.error({ err: String(e?.message ?? err), code: e?.code, suppressed }, message);
    loggedAt = at;
    suppressed = 0;
  };
}
