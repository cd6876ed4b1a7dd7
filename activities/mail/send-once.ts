/**
 * Sends an e-mail at most once per idempotency key, even when the activity is retried or a worker dies.
 *
 * The outbox row is claimed before sending and marked `sent` after. A retry that finds `sent` does
 * nothing. The one window left (SMTP accepted, worker died before the mark) resends with the *same*
 * Message-ID, which receivers use to drop the duplicate; SMTP offers nothing stronger.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import type { ActivityDeps } from '../deps';
import { emailDocument, textToHtml, type SafeHtml } from './html';

/** The outbox status of a mail withdrawn before it went out (withdrawMail): no attempt sends it after. */
export const WITHDRAWN = 'withdrawn';
const messageIdOf = (idempotencyKey: string) =>
  `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@closedloop>`;

export interface OnceMail {
  idempotencyKey: string;
  orderId?: string;
  template: string;
  to: string[];
  subject: string;
  /** The plain-text part; every mail has one. */
  text: string;
  /** The HTML part's body; the text, escaped into paragraphs, when omitted. */
  html?: SafeHtml;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

type OutboxMail = Pick<OnceMail, 'idempotencyKey' | 'orderId' | 'template' | 'to' | 'subject'>;

/** The outbox row's columns a mail's key and headers decide (status and attempts are the caller's). */
const outboxRow = (mail: OutboxMail) => ({
  idempotencyKey: mail.idempotencyKey,
  orderId: mail.orderId,
  template: mail.template,
  toAddress: mail.to.join(', '),
  subject: mail.subject,
  messageId: messageIdOf(mail.idempotencyKey),
});

export async function sendMailOnce(
  deps: ActivityDeps,
  mail: OnceMail,
): Promise<{ messageId: string; alreadySent: boolean }> {
  const messageId = messageIdOf(mail.idempotencyKey);
  const row = await deps.db.outboundEmail.upsert({
    where: { idempotencyKey: mail.idempotencyKey },
    create: { ...outboxRow(mail), status: 'sending', attempts: 1 },
    update: { attempts: { increment: 1 } },
  });
  if (row.status === 'sent') return { messageId, alreadySent: true };
  if (row.status === WITHDRAWN)
    throw ApplicationFailure.nonRetryable(
      `the ${mail.template} e-mail was withdrawn before it was sent`,
      FAILURES.EffectCompensated.type,
    );
  try {
    // Every mail goes out as HTML with a plain-text alternative (multipart/alternative).
    const html = emailDocument(mail.subject, mail.html ?? textToHtml(mail.text));
    await deps.mail.send({
      messageId,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html,
      attachments: mail.attachments,
    });
  } catch (error) {
    await deps.db.outboundEmail.update({
      where: { idempotencyKey: mail.idempotencyKey },
      data: { lastError: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
  await deps.db.outboundEmail.update({
    where: { idempotencyKey: mail.idempotencyKey },
    data: { status: 'sent', sentAt: new Date() },
  });
  deps.log.info({ orderId: mail.orderId, template: mail.template, messageId }, 'e-mail sent');
  return { messageId, alreadySent: false };
}

/**
 * A compensation's claim on a mail that may not have gone out yet: claims its outbox key as withdrawn
 * unless an attempt claimed it first. True when withdrawn (it never went out, and an attempt still
 * running on a slow worker now sends nothing); false when an attempt got there first (it may have gone
 * out: the caller sends its cancellation).
 */
export async function withdrawMail(deps: ActivityDeps, mail: OutboxMail): Promise<boolean> {
  const row = await deps.db.outboundEmail.upsert({
    where: { idempotencyKey: mail.idempotencyKey },
    create: { ...outboxRow(mail), status: WITHDRAWN },
    update: {},
  });
  return row.status === WITHDRAWN;
}
