import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { EMAIL_TEMPLATES, type SendEmailJob } from '@lanyard/contracts';
import { parseSendEmailJob } from '../../../../src/jobs/email/parse-send-email-job.js';

const valid: SendEmailJob = {
  to: 'alice@acme.example',
  subject: 'Verify your email',
  text: 'Open the link',
  tenant: 'acme',
  template: 'email_verification',
  idempotencyKey: 'email_verification.0b5c7a3e-4f1d-4c2a-9d7e-2f9a8b6c1d0e',
};

describe('parseSendEmailJob', () => {
  it('accepts the contract, with or without html and from', () => {
    expect(parseSendEmailJob(valid)).toEqual(valid);
    expect(parseSendEmailJob({ ...valid, html: '<p>hi</p>' })).toEqual({ ...valid, html: '<p>hi</p>' });
    expect(parseSendEmailJob({ ...valid, from: 'Acme Identity <no-reply@acme.example>' })).toEqual({ ...valid, from: 'Acme Identity <no-reply@acme.example>' });
    expect(parseSendEmailJob({ ...valid, from: 'no-reply@acme.example' })).toEqual({ ...valid, from: 'no-reply@acme.example' });
    expect(parseSendEmailJob({ ...valid, from: '"Acme, Inc." <no-reply@acme.example>' }).from).toBe('"Acme, Inc." <no-reply@acme.example>');
    expect(parseSendEmailJob({ ...valid, fromName: 'Acme, "Accounts" <team>' })).toEqual({ ...valid, fromName: 'Acme, "Accounts" <team>' });
  });

  it.each(EMAIL_TEMPLATES)('accepts the template %s', (template) => {
    expect(parseSendEmailJob({ ...valid, template }).template).toBe(template);
  });

  it.each(['a', 'verify.abc', 'x'.repeat(200), 'password_reset.2025-03-03.user-42'])('accepts the idempotency key %s', (idempotencyKey) => {
    expect(parseSendEmailJob({ ...valid, idempotencyKey }).idempotencyKey).toBe(idempotencyKey);
  });

  it('drops fields outside the contract', () => {
    expect(parseSendEmailJob({ ...valid, bcc: 'someone@elsewhere.example' })).toEqual(valid);
  });

  it.each([
    ['payload', null],
    ['to', { ...valid, to: 'no-at-sign' }],
    ['to', { ...valid, to: 'alice@acme.example\r\nBcc: x@y.example' }],
    ['from', { ...valid, from: 'Acme <no-reply@acme.example>\r\nBcc: victim@elsewhere.example' }],
    ['from', { ...valid, from: 'Acme\n<no-reply@acme.example>' }],
    ['from', { ...valid, from: 'Acme Identity' }],
    ['from', { ...valid, from: 'Acme <no-reply@acme.example> <second@acme.example>' }],
    ['from', { ...valid, from: 42 }],
    ['fromName', { ...valid, fromName: 'Acme\r\nBcc: victim@elsewhere.example' }],
    ['fromName', { ...valid, fromName: 'Acme\u0000' }],
    ['fromName', { ...valid, fromName: ' ' }],
    ['fromName', { ...valid, fromName: 'x'.repeat(101) }],
    ['subject', { ...valid, subject: 'Hello\nBcc: victim@elsewhere.example' }],
    ['text', { ...valid, text: 42 }],
    ['html', { ...valid, html: ['<p>'] }],
    ['tenant', { ...valid, tenant: '' }],
    ['template', { ...valid, template: 'newsletter' }],
    ['idempotencyKey', { ...valid, idempotencyKey: undefined }],
    ['idempotencyKey', { ...valid, idempotencyKey: '' }],
    ['idempotencyKey', { ...valid, idempotencyKey: 'x'.repeat(201) }],
    // BullMQ refuses `:` and integers in custom job ids, and the key is the job id.
    ['idempotencyKey', { ...valid, idempotencyKey: 'verify:abc' }],
    ['idempotencyKey', { ...valid, idempotencyKey: '42' }],
    ['idempotencyKey', { ...valid, idempotencyKey: 'verify abc' }],
    ['idempotencyKey', { ...valid, idempotencyKey: 'verify\nabc' }],
    ['idempotencyKey', { ...valid, idempotencyKey: 'verify/abc' }],
  ])('fails permanently on a bad %s (case %#), naming the field and not its value', (field, payload) => {
    let thrown: unknown;
    try {
      parseSendEmailJob(payload);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnrecoverableError);
    expect((thrown as Error).message).toBe(`invalid email/send payload: ${field}`);
  });
});
