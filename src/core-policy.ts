// The part of Config the core decides by, in the core's own terms.
import type { Config } from './config.js';
import type { CorePolicy } from './core/deps.js';

export function corePolicy(config: Config): CorePolicy {
  return {
    publicUrl: config.publicUrl,
    phoneDefaultRegion: config.phoneDefaultRegion,
    password: config.password,
    lockout: config.lockout,
    mfaRequiredRoles: config.mfaRequiredRoles,
    adminResetPolicy: config.adminResetPolicy,
    ttl: config.ttl,
    accessKeyRotationGraceMs: config.accessKeyRotationGraceMs,
    session: config.session,
    totpIssuer: 'keydesk',
  };
}
