/** Outbound e-mail. The built-in adapter speaks SMTP (to a real relay or the capture server). */
export interface OutgoingMail {
  /** Deterministic Message-ID derived from the idempotency key, so receivers can de-duplicate. */
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  /** The HTML alternative of `text`, a whole document with every value escaped (activities/mail/html.ts). */
  html: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface MailAdapter {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}
