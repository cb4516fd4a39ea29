import { UnrecoverableError } from 'bullmq';

/** The fields nodemailer adds to its errors (lib/smtp-connection `_formatError`). */
interface SmtpError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly command?: string;
  readonly response?: string;
  readonly message?: string;
}

// A 5xx reply to these is about this message or recipient (RFC 5321 §4.2.1): sending it again
// cannot succeed. A 5xx anywhere else (greeting, EHLO, AUTH) is a server or configuration problem
// that an operator can fix while the job waits.
const MESSAGE_COMMANDS = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);
// nodemailer rejects an envelope or message it cannot build before talking to the server.
const PERMANENT_LOCAL_CODES = new Set(['EENVELOPE', 'EMESSAGE']);
// Connection-level failures whose message names only hosts and syscalls, never a recipient.
const NETWORK_CODES = new Set(['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'EDNS', 'ETLS', 'EPROXY']);

/**
 * Turns a nodemailer failure into the error the job fails with:
 * - a 5xx reply to MAIL FROM / RCPT TO / DATA (e.g. 550 no such user) → `UnrecoverableError`;
 * - a 4xx reply, a connection or TLS failure, an AUTH failure → a plain `Error`, retried with backoff.
 *
 * The message carries the reply code, enhanced status code (RFC 3463) and command but never the
 * server's reply text, which usually repeats the recipient's address: job failure reasons are shown
 * on the dashboard and logged, and addresses are personal data.
 */
export function classifySmtpError(error: unknown): Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const enhanced = typeof e.response === 'string' ? /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(e.response)?.[1] : undefined;
  const detail = [responseCode ?? e.code, enhanced, e.command && `at ${e.command}`].filter(Boolean).join(' ');

  if (responseCode !== undefined && responseCode >= 500 && e.command !== undefined && MESSAGE_COMMANDS.has(e.command)) {
    return new UnrecoverableError(`SMTP server rejected the message permanently (${detail})`);
  }
  if (responseCode === undefined && e.code !== undefined && PERMANENT_LOCAL_CODES.has(e.code)) {
    return new UnrecoverableError(`message could not be sent as addressed (${detail})`);
  }
  if (responseCode !== undefined) {
    return new Error(`SMTP server did not accept the message now (${detail})`);
  }
  const reason = e.code !== undefined && NETWORK_CODES.has(e.code) && typeof e.message === 'string' ? `: ${e.message}` : '';
  return new Error(`SMTP delivery failed (${detail || 'unknown error'})${reason}`);
}
