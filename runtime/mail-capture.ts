/**
 * A capture SMTP server: the default mail sink of `npm start` and the receiver in tests. Messages are
 * parsed and kept in memory (newest last) so a person can read them at GET /v1/dev/mail.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

export interface CapturedMail {
  id: number;
  messageId?: string;
  envelopeFrom?: string;
  envelopeTo: string[];
  from?: string;
  to: string[];
  subject?: string;
  text?: string;
  /** The HTML part, when the message has one. */
  html?: string;
  attachments: { filename?: string; contentType: string; size: number; content: Buffer }[];
  headers: Record<string, string>;
  /** The message as transferred (DATA bytes, MIME-encoded): what a receiving server's size limit counts. */
  sizeBytes: number;
  receivedAt: string;
}

export interface MailCapture {
  port: number;
  url: string;
  messages(): CapturedMail[];
  /** Resolves with the matching messages once `count` of them arrived, or rejects after `timeoutMs`. */
  waitFor(predicate: (mail: CapturedMail) => boolean, count?: number, timeoutMs?: number): Promise<CapturedMail[]>;
  clear(): void;
  stop(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : [])
    .flatMap((a) => a.value.map((v) => v.address ?? ''))
    .filter(Boolean);

export async function startMailCapture(port: number, host = '127.0.0.1'): Promise<MailCapture> {
  const received: CapturedMail[] = [];
  const listeners = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      // smtp-server clears the envelope once the callback runs: copy it first.
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      simpleParser(stream)
        .then((parsed) => {
          received.push(capturedMail(received.length + 1, envelope, parsed, stream.byteLength));
          listeners.forEach((notify) => notify());
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  const actualPort = await listen(server, port, host);

  return {
    port: actualPort,
    url: `smtp://${host}:${actualPort}`,
    messages: () => [...received],
    clear: () => void received.splice(0, received.length),
    waitFor: (predicate, count = 1, timeoutMs = 30_000) =>
      waitForMail(received, listeners, predicate, count, timeoutMs),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One received message as kept: its envelope, the parsed headers, parts and attachments. */
function capturedMail(
  id: number,
  envelope: { from?: string; to: string[] },
  parsed: ParsedMail,
  sizeBytes: number,
): CapturedMail {
  return {
    id,
    messageId: parsed.messageId,
    envelopeFrom: envelope.from,
    envelopeTo: envelope.to,
    from: parsed.from?.text,
    to: addresses(parsed.to),
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html === false ? undefined : parsed.html,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      content: a.content,
    })),
    headers: Object.fromEntries(
      [...parsed.headers.entries()].filter(([, v]) => typeof v === 'string') as [string, string][],
    ),
    sizeBytes,
    receivedAt: new Date().toISOString(),
  };
}

/** Listens on `port` (0: any free one) and answers the port taken. */
async function listen(server: SMTPServer, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // smtp-server re-emits a client's connection error (a sender killed mid-message resets its socket)
  // on the server: without a listener that event would end the process. The message is simply lost,
  // as at any real SMTP server; the sender's outbox sends it again.
  server.on('error', () => undefined);
  const address = server.server.address();
  return typeof address === 'object' && address ? address.port : port;
}

function waitForMail(
  received: CapturedMail[],
  listeners: Set<() => void>,
  predicate: (mail: CapturedMail) => boolean,
  count: number,
  timeoutMs: number,
): Promise<CapturedMail[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const matches = received.filter(predicate);
      if (matches.length >= count) {
        cleanup();
        resolve(matches);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `expected ${count} matching e-mail(s) within ${timeoutMs} ms, got ${received.filter(predicate).length}`,
        ),
      );
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      listeners.delete(check);
    };
    listeners.add(check);
    check();
  });
}
