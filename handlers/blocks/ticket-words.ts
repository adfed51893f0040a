// How tickets read in English and French: the name of each kind of request and each status.
import type { Locale, TicketKind, TicketStatus } from '../../src/core/types.js';
import { isTicketKind, isTicketStatus } from '../../src/core/ticket-status.js';

type Words = Record<Locale, string>;

const KIND_TITLES: Record<TicketKind, Words> = {
  password_reset: { en: 'Password reset request', fr: 'Demande de réinitialisation du mot de passe' },
  unlock: { en: 'Unlock request', fr: 'Demande de déverrouillage' },
  mfa_reset: { en: 'MFA reset request', fr: 'Demande de réinitialisation MFA' },
  access_key: { en: 'Access key request', fr: 'Demande de clé d’accès' },
  login_help: { en: 'Login help', fr: 'Aide à la connexion' },
  no_account: { en: 'Slack user with no account', fr: 'Utilisateur Slack sans compte' },
  email_failure: { en: 'Email not delivered', fr: 'E-mail non distribué' },
};

/** The request as a noun inside a sentence ("your unlock request"). */
const KIND_NOUNS: Record<TicketKind, Words> = {
  password_reset: { en: 'password reset request', fr: 'demande de réinitialisation du mot de passe' },
  unlock: { en: 'unlock request', fr: 'demande de déverrouillage' },
  mfa_reset: { en: 'MFA reset request', fr: 'demande de réinitialisation MFA' },
  access_key: { en: 'access key request', fr: 'demande de clé d’accès' },
  login_help: { en: 'login help request', fr: 'demande d’aide à la connexion' },
  no_account: { en: 'account request', fr: 'demande de compte' },
  email_failure: { en: 'email problem', fr: 'problème d’e-mail' },
};

const STATUS_WORDS: Record<TicketStatus, Words & { emoji: string }> = {
  open: { emoji: ':large_blue_circle:', en: 'Open', fr: 'Ouvert' },
  claimed: { emoji: ':large_yellow_circle:', en: 'Claimed', fr: 'Pris en charge' },
  approved: { emoji: ':white_check_mark:', en: 'Approved', fr: 'Approuvé' },
  denied: { emoji: ':no_entry:', en: 'Denied', fr: 'Refusé' },
  expired: { emoji: ':hourglass:', en: 'Expired', fr: 'Expiré' },
  resolved: { emoji: ':heavy_check_mark:', en: 'Resolved', fr: 'Résolu' },
};

export function kindTitle(kind: string, locale: Locale): string {
  return isTicketKind(kind) ? KIND_TITLES[kind][locale] : 'Ticket';
}

export function kindNoun(kind: string, locale: Locale): string {
  return isTicketKind(kind) ? KIND_NOUNS[kind][locale] : locale === 'fr' ? 'demande' : 'request';
}

/** ":white_check_mark: Approved" */
export function statusLabel(status: string, locale: Locale): string {
  if (!isTicketStatus(status)) return status;
  const words = STATUS_WORDS[status];
  return `${words.emoji} ${words[locale]}`;
}
