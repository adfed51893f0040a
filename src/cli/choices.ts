// The values the CLI's options accept, taken from where the rules live.
export { ROLES } from '../config.js';
export { SLACK_USER_ID } from '../core/identity.js';
export { LOCALES } from '../core/refusal.js';
export { DISABLE_REASONS } from '../store/schema.js';
