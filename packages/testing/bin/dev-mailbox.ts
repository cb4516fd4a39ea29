// A development mailbox for `npm run up`, the way Mailpit is one for docker compose: an SMTP server
// on 127.0.0.1:1025 (the worker's default SMTP_URL) that keeps what it receives, and a page on
// http://127.0.0.1:8025 listing every message with its text, so sign-up and reset links are one
// click away. In memory only; never for production.
import { createServer } from 'node:http';
import { simpleParser } from 'mailparser';
import { startSmtpSink } from '../src/smtp-sink.js';

const SMTP_PORT = Number(process.env.DEV_MAILBOX_SMTP_PORT ?? 1025);
const HTTP_PORT = Number(process.env.DEV_MAILBOX_HTTP_PORT ?? 8025);

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
/** Links in a message's text, made clickable; everything else stays escaped text. */
const linkify = (text: string) => escape(text).replace(/https?:\/\/[^\s<>"&]+(?:&amp;[^\s<>"&]+)*/g, (url) => `<a href="${url}">${url}</a>`);

const sink = await startSmtpSink({ port: SMTP_PORT });
const server = createServer((_request, response) => {
  void (async () => {
    const parsed = await Promise.all([...sink.messages].reverse().map((m) => simpleParser(m.raw)));
    const items = parsed.map(
      (m, i) => `<article><h2>${escape(m.subject ?? '(no subject)')}</h2><p class="meta">To ${escape(sink.messages[sink.messages.length - 1 - i]!.to.join(', '))} · From ${escape(m.from?.text ?? '')} · ${escape(m.date?.toISOString() ?? '')}</p><pre>${linkify(m.text ?? '')}</pre></article>`,
    );
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'cache-control': 'no-store',
    });
    response.end(
      `<!doctype html><meta charset="utf-8"><title>Dev mailbox (${parsed.length})</title><style>body{font:15px system-ui;margin:2rem;max-width:60rem}article{border-top:1px solid #ccc;padding:.5rem 0}.meta{color:#666;font-size:13px}pre{white-space:pre-wrap}</style><h1>Dev mailbox: ${parsed.length} message(s)</h1><p>Newest first. Reload to see new mail.</p>${items.join('')}`,
    );
  })().catch((error: unknown) => response.writeHead(500).end(String(error)));
});
server.listen(HTTP_PORT, '127.0.0.1', () => {
  process.stdout.write(`dev mailbox: SMTP on ${sink.url}, messages at http://127.0.0.1:${HTTP_PORT}/\n`);
});
const stop = () => {
  server.close();
  void sink.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
