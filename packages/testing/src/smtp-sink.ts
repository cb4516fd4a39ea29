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
  /**
   * While on (the default argument), holds the reply to each message's data until
   * {@link releaseHeld}: the client has sent the whole message and waits for the 250. Unlike
   * {@link delayReplies}, a held message counts as accepted only once its 250 is written to a
   * connection that is still open, as with a server that takes responsibility by replying
   * (RFC 5321 §4.1.1.4, RFC 1047): if the client goes away first, the message lands in
   * {@link abandoned} instead of {@link messages}.
   */
  holdReplies(on?: boolean): void;
  /** Messages received in full whose reply is being held, oldest first. */
  readonly held: readonly ReceivedMessage[];
  /** Resolves once `count` messages are held at the same time. */
  waitForHeld(count: number, timeoutMs?: number): Promise<readonly ReceivedMessage[]>;
  /**
   * Answers 250 to the held messages `match` selects (all by default): each moves to
   * {@link messages}, or to {@link abandoned} if its client has already gone.
   */
  releaseHeld(match?: (message: ReceivedMessage) => boolean): void;
  /** Resolves once `count` messages have been abandoned in total (their clients' connections seen closed). */
  waitForAbandoned(count: number, timeoutMs?: number): Promise<readonly ReceivedMessage[]>;
  /** Messages received in full but never accepted: their client left before the reply, or the sink was going down (421). */
  readonly abandoned: readonly ReceivedMessage[];
  /** SMTP connections accepted so far (to show that a client did not talk to the server at all). */
  readonly connections: number;
  /**
   * Closes the listening socket, so clients get "connection refused" until {@link up}; a message
   * whose data ends from now on is refused with 421, and open connections are cut after 50 ms.
   */
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

/** Starts an {@link SmtpSink} on `port` (an ephemeral one by default). */
export async function startSmtpSink(options: { port?: number } = {}): Promise<SmtpSink> {
  const messages: ReceivedMessage[] = [];
  const rejections = new Map<string, number>();
  const waiters = new Set<() => void>();
  let replyDelayMs = 0;
  let holding = false;
  /** Set from the moment {@link SmtpSink.down} begins until {@link SmtpSink.up}. */
  let goingDown = false;
  const held: Array<{ readonly message: ReceivedMessage; readonly sessionId: string; readonly reply: () => void }> = [];
  const abandoned: ReceivedMessage[] = [];
  const closedSessions = new Set<string>();
  let connections = 0;
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  /** Resolves with `value()` once `done()` holds, checked after every change. */
  const waitUntil = <T>(done: () => boolean, value: () => T, timeoutMs: number, what: () => string): Promise<T> => {
    if (done()) return Promise.resolve(value());
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(value());
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`SMTP sink: ${what()}`));
      }, timeoutMs);
      waiters.add(check);
    });
  };

  const createServer = () => {
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      closeTimeout: CLOSE_TIMEOUT_MS,
      size: 10 * 1024 * 1024,
      onConnect(_session, callback) {
        connections += 1;
        callback();
      },
      onClose(session) {
        closedSessions.add(session.id);
        for (let i = held.length - 1; i >= 0; i -= 1) {
          if (held[i]!.sessionId !== session.id) continue;
          abandoned.push(held[i]!.message);
          held.splice(i, 1);
        }
        notify();
      },
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
          const message: ReceivedMessage = {
            from: mailFrom === false ? '' : mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            headers: parseHeaders(raw),
          };
          if (holding && !closedSessions.has(session.id)) {
            held.push({ message, sessionId: session.id, reply: () => callback() });
            notify();
            return;
          }
          setTimeout(() => {
            // Accepted only by a 250 on a connection that is still open and not about to be cut:
            // once `down` has begun, smtp-server answers 421 to every open connection, and a 250
            // behind that 421 never counts for the client, which rightly sends the message again.
            if (goingDown || closedSessions.has(session.id)) {
              abandoned.push(message);
              notify();
              const error: SMTPServerError = new Error('Service not available, closing transmission channel');
              error.responseCode = 421;
              return callback(error);
            }
            messages.push(message);
            notify();
            callback();
          }, replyDelayMs);
        });
      },
    });
    // A client killed in the middle of a transaction resets the connection; smtp-server reports that
    // as an `error` event, which would crash the test process without a listener. It is exactly what
    // fault tests provoke, and `abandoned` already records what it means.
    server.on('error', () => undefined);
    return server;
  };

  let server = createServer();
  const port = await listen(server, options.port ?? 0);

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
    holdReplies(on = true) {
      holding = on;
    },
    get held() {
      return held.map((h) => h.message);
    },
    waitForHeld(count, timeoutMs = 10_000) {
      return waitUntil(
        () => held.length >= count,
        () => held.map((h) => h.message),
        timeoutMs,
        () => `expected ${count} held message(s) within ${timeoutMs} ms, got ${held.length}`,
      );
    },
    releaseHeld(match = () => true) {
      for (const entry of held.filter((h) => match(h.message))) {
        held.splice(held.indexOf(entry), 1);
        if (closedSessions.has(entry.sessionId)) {
          abandoned.push(entry.message);
          continue;
        }
        messages.push(entry.message);
        entry.reply();
      }
      notify();
    },
    abandoned,
    waitForAbandoned(count, timeoutMs = 10_000) {
      return waitUntil(
        () => abandoned.length >= count,
        () => abandoned,
        timeoutMs,
        () => `expected ${count} abandoned message(s) within ${timeoutMs} ms, got ${abandoned.length}`,
      );
    },
    get connections() {
      return connections;
    },
    async down() {
      goingDown = true;
      await close(server);
    },
    async up() {
      goingDown = false;
      if (server.server.listening) return;
      server = createServer();
      await listen(server, port);
    },
    waitForMessages(count, timeoutMs = 10_000) {
      return waitUntil(
        () => messages.length >= count,
        () => messages,
        timeoutMs,
        () => `expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}`,
      );
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
