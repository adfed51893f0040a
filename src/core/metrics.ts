// What the core counts, as a port: the rules say when a login ended, an account locked or
// unlocked; how the counts are kept and shown (Prometheus, src/metrics/) is not theirs.
// No prom-client here: the core stays usable on its own, and tests may pass nothing.
import type { UnlockHow } from './effects.js';
import type { AttemptResult } from './types.js';

export interface CoreMetrics {
  /** How a sign-in (auth API or /login page) ended, `busy` included. */
  loginEnded(result: AttemptResult): void;
  accountLocked(): void;
  accountUnlocked(how: UnlockHow): void;
}

/** Counts nothing: what the core uses when its deps carry no metrics (tests, the CLI). */
export const NO_METRICS: CoreMetrics = {
  loginEnded: () => undefined,
  accountLocked: () => undefined,
  accountUnlocked: () => undefined,
};
