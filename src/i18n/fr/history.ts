// French: the cards of actions taken at once, key for key with ../en/history.ts.
import type { history as en } from '../en/history.js';

export const history = {
  'slack.ticketWords.kindTitle.direct_action': 'Action d’administration',
  'slack.ticketWords.kindNoun.direct_action': 'action d’administration',
  'slack.ticketCard.fact.action': 'Fait',
  'slack.ticketCard.action.unlock': 'Compte déverrouillé immédiatement.',
  'slack.ticketCard.action.reset_password': 'Mot de passe réinitialisé (par e-mail).',
  'slack.ticketCard.action.clear_mfa': 'Appareil MFA effacé ; un lien d’enrôlement a été envoyé par e-mail.',
  'slack.ticketCard.action.issue_access_key': 'Clé d’accès émise ; son titulaire la révèle une fois.',
  'slack.ticketCard.action.disable': 'Compte désactivé.',
  'slack.ticketCard.action.enable': 'Compte réactivé.',
  'slack.ticketCard.action.change_email': 'Adresse e-mail changée, ou changement commencé.',
  'slack.ticketCard.action.verify_identity': 'Personne vérifiée ; un lien pour choisir de nouvelles informations de sécurité a été envoyé.',
  'slack.ticketCard.action.change_link_sent': 'Le titulaire a demandé son lien « Mon compte » ; il a été envoyé en message direct.',
  'slack.ticketCard.action.reset_link_sent': 'Le titulaire a oublié son mot de passe ; un lien de réinitialisation a été envoyé par e-mail.',
} as const satisfies Record<keyof typeof en, string>;
