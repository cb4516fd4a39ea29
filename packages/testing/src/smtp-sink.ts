import { SMTPServer, type SMTPServerError } from 'smtp-server';

/** One message as the sink received it. */
export interface ReceivedMessage {
  /** `MAIL FROM` of the SMTP envelope ('' for the null sender). */
  readonly from: string;
  /** `RCPT TO` addresses that were accepted. */
  readonly to: readonly string[];
  /** The message exactly as transmitted after `DATA` (headers, blank line, body). */
  readonly raw: string;
  /** Unfolded header fields, names lower-cased; the first occurrence wins. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A real SMTP server on an ephemeral loopback port that keeps what it receives. It speaks plain
 * SMTP without STARTTLS or AUTH, so any client pointed at {@link SmtpSink.url} delivers to it.
 */
export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  /** `smtp://127.0.0.1:<port>`, for `SMTP_URL`. */
  readonly url: string;
  /** Every accepted message, oldest first. */
  readonly messages: readonly ReceivedMessage[];
  /** Answers `RCPT TO:<address>` with `code` (550 by default: a permanent "no such user"). */
  rejectRecipient(address: string, code?: number): void;
  /** Accepts every recipient again. */
  acceptAllRecipients(): void;
  /** Holds the reply to each message's data this long, to keep a delivery in flight. */
  delayReplies(ms: number): void;
  /** Closes the listening socket, so clients get "connection refused" until {@link up}. */
  down(): Promise<void>;
  /** Listens again on the same port (no-op while up). */
  up(): Promise<void>;
  /** Resolves once `count` messages have arrived in total. */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly ReceivedMessage[]>;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
// Connections still open when the sink goes down are cut after this long instead of smtp-server's 30 s.
const CLOSE_TIMEOUT_MS = 50;

/** Starts an {@link SmtpSink}. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMessage[] = [];
  const rejections = new Map<string, number>();
  const waiters = new Set<() => void>();
  let replyDelayMs = 0;

  const createServer = () =>
    new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      closeTimeout: CLOSE_TIMEOUT_MS,
      size: 10 * 1024 * 1024,
      onRcptTo(address, _session, callback) {
        const code = rejections.get(address.address.toLowerCase());
        if (code === undefined) return callback();
        const error: SMTPServerError = new Error(code >= 500 ? 'No such user here' : 'Mailbox temporarily unavailable');
        error.responseCode = code;
        return callback(error);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mailFrom = session.envelope.mailFrom;
          messages.push({
            from: mailFrom === false ? '' : mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            headers: parseHeaders(raw),
          });
          for (const notify of [...waiters]) notify();
          setTimeout(() => callback(), replyDelayMs);
        });
      },
    });

  let server = createServer();
  const port = await listen(server, 0);

  return {
    host: HOST,
    port,
    url: `smtp://${HOST}:${port}`,
    messages,
    rejectRecipient(address, code = 550) {
      rejections.set(address.toLowerCase(), code);
    },
    acceptAllRecipients() {
      rejections.clear();
    },
    delayReplies(ms) {
      replyDelayMs = ms;
    },
    down: () => close(server),
    async up() {
      if (server.server.listening) return;
      server = createServer();
      await listen(server, port);
    },
    waitForMessages(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SMTP sink: expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () => close(server),
  };
}

function listen(server: SMTPServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, HOST, () => {
      server.server.off('error', reject);
      const address = server.server.address();
      if (typeof address === 'object' && address !== null) resolve(address.port);
      else reject(new Error('SMTP sink: no listening address'));
    });
  });
}

function close(server: SMTPServer): Promise<void> {
  if (!server.server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** RFC 5322 §2.2.3: a header field continues on lines that start with whitespace. */
function parseHeaders(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n(?=[ \t])/g, '');
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return headers;
}
