// English: the core's refusals, `refusal.<code>` (Refusal.message).
export const refusals = {
  // Refusals: Password policy (NIST SP 800-63B)
  'refusal.password_too_short': 'Your password must be at least {min} characters long.',
  'refusal.password_too_long': 'Your password must be at most {max} characters long.',
  'refusal.password_common': 'This password is too common: it appears in lists of breached passwords. Choose another.',
  'refusal.password_contains_email': 'Your password must not contain your email address.',
  'refusal.password_contains_name': 'Your password must not contain your name.',
  'refusal.password_unchanged': 'Your new password must differ from the current one.',
  'refusal.password_mismatch': 'The two passwords do not match.',
  // Refusals: PIN
  'refusal.pin_format': 'Your PIN must be 4 to 8 digits.',
  'refusal.pin_repeated': 'Your PIN must not be one digit repeated.',
  'refusal.pin_sequence': 'Your PIN must not be a straight sequence such as 1234 or 9876.',
  // Refusals: Credentials
  'refusal.wrong_password': 'The current password is not correct.',
  'refusal.wrong_pin': 'The PIN is not correct.',
  'refusal.wrong_answer': 'That answer does not match the one on file.',
  'refusal.wrong_otp': 'That code is not valid. Codes change every 30 seconds and work once.',
  'refusal.account_locked_until': 'Your account is locked until {until} after too many failed attempts. Try again then, or ask for an unlock with /login-help in Slack.',
  'refusal.too_many_attempts': 'Too many attempts at once on this account. Wait a minute and try again.',
  'refusal.temp_password_sign_in_first': 'A temporary password only works once, to sign in at /login: sign in with it to get your change link, or ask an administrator for a new one.',
  'refusal.link_limit': 'You asked for 3 links in the last hour, the most keydesk sends. Use the newest one, or try again later.',
  'refusal.activation_resend_limit': 'We already sent you {max} activation emails in the last hour, the most keydesk sends. Use the newest one, or try again after {after}. If none arrive, ask the helpdesk.',
  'refusal.busy': 'keydesk is busy right now. Try again in a moment.',
  'refusal.security_question_required': 'Choose a security question and give its answer (at least 3 characters).',
  // Refusals: Tokens
  'refusal.token_invalid': 'This link is not valid. Ask for a new one.',
  'refusal.token_expired': 'This link has expired. Ask for a new one.',
  'refusal.token_used': 'This link has already been used. Ask for a new one if you still need it.',
  // Refusals: Accounts
  'refusal.account_not_found': 'No account matches.',
  'refusal.account_exists': 'An account with this {field} already exists.',
  'refusal.account_not_active': 'This account is not active.',
  'refusal.already_active': 'This account is already activated.',
  'refusal.invalid_email': 'That is not a valid email address.',
  'refusal.invalid_phone': 'That is not a valid phone number.',
  'refusal.invalid_extension': 'An extension is 1 to 8 digits.',
  'refusal.extension_without_phone': 'An extension needs a phone number.',
  'refusal.invalid_slack_user': 'That is not a Slack user id (it looks like U0123ABCD).',
  'refusal.invalid_name': 'A display name is 1 to 200 characters.',
  // Refusals: Authority
  'refusal.forbidden': 'You are not allowed to do that.',
  'refusal.primary_admin_protected': 'A primary admin’s account can only be changed with the break-glass command on the server.',
  'refusal.primary_admin_cli_only': 'The primary_admin role can only be given from the command line.',
  'refusal.self_action': 'You can’t do that to your own account.',
  'refusal.self_admin_action': 'You can’t do this on your own account: another admin must do it for you.',
  'refusal.policy_disabled': 'The {policy} reset policy is not enabled.',
  // Refusals: Access keys
  'refusal.key_not_found': 'No such access key.',
  'refusal.key_already_revealed': 'This key was already revealed once. If you lost it, ask for a new key.',
  'refusal.key_revoked': 'This key has been revoked.',
  'refusal.key_already_rotated': 'This key was already replaced by a new one.',
  // Refusals: MFA
  'refusal.mfa_not_enrolled': 'No MFA device is enrolled on this account.',
  'refusal.mfa_already_enrolled': 'An MFA device is already enrolled on this account.',
  // Refusals: Tickets and approvals
  'refusal.ticket_not_found': 'No such ticket.',
  'refusal.not_an_approval': 'This ticket does not need an approval.',
  'refusal.self_approval': 'You can’t decide your own request: another admin must.',
  'refusal.already_decided': 'This request has already been decided: {status} by {by}.',
  'refusal.already_claimed': 'This ticket is already claimed by {by}.',
  'refusal.ticket_closed': 'This ticket is already closed ({status}).',
} as const;
