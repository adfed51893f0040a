// How keydesk sends an email. The outbox mailer (SMTP_URL unset) writes .eml files;
// an SMTP mailer fits the same shape.
export interface MailMessage {
  /** The full Message-ID header, angle brackets included, e.g. `<email-…@keydesk>`. Stable across retries. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(msg: MailMessage): Promise<void>;
  close(): Promise<void>;
}
