import { describe, expect, it } from 'vitest';
import { redactEmailJobData } from '../../../src/http/redact-email-job-data.js';

describe('redactEmailJobData', () => {
  it('keeps only the tenant and template of an email payload', () => {
    const shown = redactEmailJobData({
      to: 'alice@acme.example',
      subject: 'Reset your password',
      text: 'https://id.example/reset?token=secret',
      html: '<a href="https://id.example/reset?token=secret">reset</a>',
      tenant: 'acme',
      template: 'password_reset',
    });
    expect(shown).toEqual({ tenant: 'acme', template: 'password_reset', to: '[redacted]', subject: '[redacted]', text: '[redacted]' });
    expect(JSON.stringify(shown)).not.toMatch(/alice|secret/);
  });

  it('shows nothing of a payload that is not an object', () => {
    expect(redactEmailJobData('alice@acme.example')).toEqual({});
  });
});
