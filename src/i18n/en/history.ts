// English: the helpdesk channel as the whole history — the cards of actions taken at once
// (src/core/direct-actions.ts), filed already resolved.
export const history = {
  'slack.ticketWords.kindTitle.direct_action': 'Admin action',
  'slack.ticketWords.kindNoun.direct_action': 'admin action',
  'slack.ticketCard.fact.action': 'Done',
  'slack.ticketCard.action.unlock': 'Unlocked the account at once.',
  'slack.ticketCard.action.reset_password': 'Reset the password (by email).',
  'slack.ticketCard.action.clear_mfa': 'Cleared the MFA device; an enrolment link was emailed.',
  'slack.ticketCard.action.issue_access_key': 'Issued an access key; its owner reveals it once.',
  'slack.ticketCard.action.disable': 'Disabled the account.',
  'slack.ticketCard.action.enable': 'Enabled the account again.',
  'slack.ticketCard.action.change_email': 'Changed or started changing the email address.',
  'slack.ticketCard.action.verify_identity': 'Verified the person; a link to set new security details was emailed.',
  'slack.ticketCard.action.change_link_sent': 'The owner asked for their My account link; it was sent by DM.',
  'slack.ticketCard.action.reset_link_sent': 'The owner forgot their password; a reset link was emailed.',
} as const;
