// The values the CLI's options accept, taken from where the rules live.
export { SLACK_USER_ID } from '../core/identity.js';
export { DISABLE_REASONS, LOCALES, ROLES } from '../core/types.js';
