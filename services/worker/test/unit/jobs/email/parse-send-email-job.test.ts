import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { SendEmailJob } from '@lanyard/contracts';
import { parseSendEmailJob } from '../../../../src/jobs/email/parse-send-email-job.js';

const valid: SendEmailJob = { to: 'alice@acme.example', subject: 'Verify your email', text: 'Open the link', tenant: 'acme', template: 'email_verification' };

describe('parseSendEmailJob', () => {
  it('accepts the contract, with or without html', () => {
    expect(parseSendEmailJob(valid)).toEqual(valid);
    expect(parseSendEmailJob({ ...valid, html: '<p>hi</p>' })).toEqual({ ...valid, html: '<p>hi</p>' });
  });

  it('drops fields outside the contract', () => {
    expect(parseSendEmailJob({ ...valid, bcc: 'someone@elsewhere.example' })).toEqual(valid);
  });

  it.each([
    ['payload', null],
    ['to', { ...valid, to: 'no-at-sign' }],
    ['to', { ...valid, to: 'alice@acme.example\r\nBcc: x@y.example' }],
    ['subject', { ...valid, subject: 'Hello\nBcc: victim@elsewhere.example' }],
    ['text', { ...valid, text: 42 }],
    ['html', { ...valid, html: ['<p>'] }],
    ['tenant', { ...valid, tenant: '' }],
    ['template', { ...valid, template: 'newsletter' }],
  ])('fails permanently on a bad %s, naming the field and not its value', (field, payload) => {
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
