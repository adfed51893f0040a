// What every core operation is given: the store, the clock, the hasher, the secrets box,
// the policy settings and the side-effect port. main.ts builds one; tests build their own.
import type { Store } from '../store/db.js';
import type { Clock } from './clock.js';
import type { CoreEffects } from './effects.js';
import type { Hasher } from './hashing.js';
import type { CoreMetrics } from './metrics.js';
import type { PasswordPolicy } from './password-policy.js';
import type { SecretBox } from './secret-box.js';
import type { ResetPolicy, Role } from './types.js';

export interface CorePolicy {
  publicUrl: string;
  phoneDefaultRegion: string;
  password: PasswordPolicy;
  lockout: { threshold: number; windowMs: number; durationMs: number };
  mfaRequiredRoles: readonly Role[];
  adminResetPolicy: ResetPolicy;
  ttl: { activationMs: number; resetMs: number; mfaEnrolMs: number; tempPasswordMs: number };
  accessKeyRotationGraceMs: number;
  /** Sign-in sessions: idle expiry (slides on each use, never past the absolute one) and absolute lifetime. */
  session: { idleMs: number; maxMs: number };
  /** Issuer shown in authenticator apps. */
  totpIssuer: string;
}

export interface CoreDeps {
  db: Store;
  clock: Clock;
  hasher: Hasher;
  secrets: SecretBox;
  policy: CorePolicy;
  effects: CoreEffects;
  /** Counts for /metrics (src/metrics/); absent: nothing is counted (tests, the CLI). */
  metrics?: CoreMetrics;
}

/** Who is acting, and from where: written to the audit log and checked for authority. */
export interface Actor {
  /** An account id, or 'cli', 'system', 'web' (a self-service page acting by token). */
  id: string;
  kind: 'account' | 'cli' | 'system' | 'web';
  role?: Role;
  /** Whether the acting account is disabled (authority needs a non-disabled account). */
  disabled?: boolean;
  clientAddress?: string | null;
}

export const CLI_ACTOR: Actor = { id: 'cli', kind: 'cli' };
export const SYSTEM_ACTOR: Actor = { id: 'system', kind: 'system' };
export const webActor = (clientAddress: string | null): Actor => ({ id: 'web', kind: 'web', clientAddress });
