// English: second factors by email or SMS (codes, the enrolment's choice, /validate).
export const secondFactor = {
  // Mail: a one-time code
  'mail.otp_code.subject': 'Your keydesk code',
  'mail.otp_code.intro': 'Your one-time code is:',
  'mail.otp_code.expires': 'It works once and expires on {expiresAt}.',
  'mail.otp_code.notYou': 'Did not ask for it? Someone may know your password: change it, and tell the helpdesk. Never share this code, not even with the helpdesk.',
  // The SMS text (one short line)
  'mail.sms.code': 'keydesk code: {code}. It works once, for 10 minutes. Never share it.',
  // Refusals
  'refusal.no_phone_on_file': 'There is no phone number on file for this account: choose email or an authenticator app.',
  'refusal.code_send_limit': 'We already sent 3 codes in the last 10 minutes, the most keydesk sends. Use the newest one, or try again later.',
  'refusal.wrong_code': 'That code is not right, has expired or was already used. Ask for a new one.',
  // Pages: the enrolment's choice
  'page.mfaMethodLabel': 'How will you get your sign-in codes?',
  'page.mfaMethod.totp': 'An authenticator app',
  'page.mfaMethod.email': 'By email, to the address on file',
  'page.mfaMethod.sms': 'By SMS, to the phone number on file',
  'page.mfaCodeSent': 'We sent a 6-digit code to {to}. Enter it to finish. It works once, for 10 minutes.',
  'page.mfaCodeResent': 'We sent a new code to {to}; the one before no longer works. Enter it to finish. It works once, for 10 minutes.',
  'page.mfaResendCode': 'Send a new code',
  'page.mfaCodeDone': 'Two-step sign-in is on. Each time you sign in, ask for a code: we send it to {to}.',
  // The /login page for an email or SMS account: the code is sent on request
  'page.otpSendIntro.email': 'Two-step sign-in: we send you a code by email. Enter your password again and choose “Send me a code”; then enter your password and the code.',
  'page.otpSendIntro.sms': 'Two-step sign-in: we send you a code by SMS. Enter your password again and choose “Send me a code”; then enter your password and the code.',
  'page.otpSendButton': 'Send me a code',
  'page.otpSent.email': 'If your password was right, we sent a 6-digit code to your email address. Enter your password again and the code. It works once, for 10 minutes.',
  'page.otpSent.sms': 'If your password was right, we sent a 6-digit code to your phone by SMS. Enter your password again and the code. It works once, for 10 minutes.',
  // Pages: /validate
  'page.validateTitle': 'Validate your account',
  'page.validateIntro': 'Your account is waiting to be validated. Enter your email address or phone number and choose where we send a 6-digit code.',
  'page.validateChannelLabel': 'Send the code',
  'page.validateChannel.email': 'To my email address on file',
  'page.validateChannel.sms': 'To my phone number on file',
  'page.validateSent': 'If an account that needs validating matches, we sent it a 6-digit code. It works once, for 10 minutes.',
  'page.validateDone': 'Your account is validated. You can sign in again.',
  'page.validateFailed': 'That code is not right, or it has expired. Ask for a new one.',
  'page.validateAgain': 'Ask for a new code',
} as const;
