import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

/**
 * A pooled nodemailer SMTP transport from `SMTP_URL`: `smtp://` connects in clear and upgrades with
 * STARTTLS when offered, `smtps://` uses implicit TLS (RFC 8314); `user:password@` in the URL
 * authenticates. Timeouts are far below nodemailer's defaults (minutes) so a hung server turns into
 * a retry instead of a job that holds its lock.
 */
export function createMailTransport(smtpUrl: string, maxConnections: number): Transporter<SMTPPool.SentMessageInfo> {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return nodemailer.createTransport({
    pool: true,
    maxConnections,
    // IPv6 literals come bracketed from URL; sockets want them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    // Without a port nodemailer picks 465 for implicit TLS and 587 (submission) otherwise.
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    secure,
    ...(url.username === '' ? {} : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
