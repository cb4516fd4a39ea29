import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../../../src/jobs/email/classify-smtp-error.js';

/** An error shaped like nodemailer's (lib/smtp-connection `_formatError`). */
const smtpError = (fields: { code?: string; responseCode?: number; command?: string; response?: string; message?: string }) =>
  Object.assign(new Error(fields.message ?? 'smtp failure'), fields);

describe('classifySmtpError (RFC 5321 §4.2.1 reply classes)', () => {
  it.each([
    ['550 at RCPT TO', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 <alice@acme.example>: Recipient address rejected' }, '(550 5.1.1 at RCPT TO)'],
    ['553 at MAIL FROM', { code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM', response: '553 sender not allowed' }, '(553 at MAIL FROM)'],
    ['552 at DATA', { code: 'EMESSAGE', responseCode: 552, command: 'DATA', response: '552 5.3.4 Message too big' }, '(552 5.3.4 at DATA)'],
  ])('a %s reply fails permanently', (_case, fields, detail) => {
    const error = classifySmtpError(smtpError(fields));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe(`SMTP server rejected the message permanently ${detail}`);
  });

  it('never repeats the server reply text, which names the recipient', () => {
    const error = classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 <alice@acme.example> unknown', message: "Can't send mail: 550 <alice@acme.example> unknown" }));
    expect(error.message).not.toContain('alice');
  });

  it.each([
    ['451 at RCPT TO (greylisting)', { code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO', response: '451 4.7.1 try later' }],
    ['421 at the greeting', { code: 'EPROTOCOL', responseCode: 421, command: 'CONN', response: '421 too busy' }],
    ['535 at AUTH (bad credentials: an operator fixes config)', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 5.7.8 bad credentials' }],
    ['554 at the greeting (no service: a server problem)', { code: 'EPROTOCOL', responseCode: 554, command: 'CONN', response: '554 no SMTP service here' }],
    ['connection refused', { code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:25' }],
    ['a timeout', { code: 'ETIMEDOUT', command: 'CONN', message: 'Connection timeout' }],
  ])('%s is retried', (_case, fields) => {
    const error = classifySmtpError(smtpError(fields));
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect(error).toBeInstanceOf(Error);
  });

  it('keeps the socket error of a connection failure, which names hosts, not people', () => {
    expect(classifySmtpError(smtpError({ code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:25' })).message).toBe(
      'SMTP delivery failed (ESOCKET at CONN): connect ECONNREFUSED 127.0.0.1:25',
    );
    expect(classifySmtpError(smtpError({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 user ops rejected' })).message).toBe(
      'SMTP server did not accept the message now (535 at AUTH PLAIN)',
    );
  });

  it('fails an envelope nodemailer refuses to send permanently', () => {
    const error = classifySmtpError(smtpError({ code: 'EENVELOPE', command: 'API', message: "Can't send mail - no recipients defined" }));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe('message could not be sent as addressed (EENVELOPE at API)');
  });

  it('retries anything it does not recognise', () => {
    expect(classifySmtpError('boom')).not.toBeInstanceOf(UnrecoverableError);
    expect(classifySmtpError(new Error('odd')).message).toBe('SMTP delivery failed (unknown error)');
  });
});
