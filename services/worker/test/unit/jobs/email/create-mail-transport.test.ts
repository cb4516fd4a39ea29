import { describe, expect, it } from 'vitest';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { createMailTransport } from '../../../../src/jobs/email/create-mail-transport.js';

const optionsOf = (url: string) => {
  const transport = createMailTransport(url, 3);
  const options = (transport.transporter as unknown as { options: SMTPPool.Options }).options;
  transport.close();
  return options;
};

describe('createMailTransport', () => {
  it('reads host, port, implicit TLS and URL-encoded credentials from an smtps:// URL', () => {
    expect(optionsOf('smtps://mailer%40acme.example:p%3Ass%2Fword@smtp.acme.example:2465')).toMatchObject({
      pool: true,
      maxConnections: 3,
      host: 'smtp.acme.example',
      port: 2465,
      secure: true,
      auth: { user: 'mailer@acme.example', pass: 'p:ss/word' },
    });
  });

  it('uses plain SMTP (STARTTLS when offered) and no auth for smtp:// without credentials', () => {
    const options = optionsOf('smtp://127.0.0.1:1025');
    expect(options).toMatchObject({ host: '127.0.0.1', port: 1025, secure: false });
    expect(options.auth).toBeUndefined();
  });

  it('leaves the port to nodemailer when the URL has none, and unbrackets IPv6 literals', () => {
    const options = optionsOf('smtps://[::1]');
    expect(options.host).toBe('::1');
    expect(options.port).toBeUndefined();
  });

  it('bounds every phase of a connection far below nodemailer’s minutes-long defaults', () => {
    expect(optionsOf('smtp://mail.example')).toMatchObject({ connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  });
});
