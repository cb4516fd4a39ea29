import { describe, expect, it } from 'vitest';
import { EMAIL_JOB_OPTIONS } from '@lanyard/contracts';
import { mailboxAddress } from '../../../../src/jobs/email/mailbox-address.js';
import { messageIdFor } from '../../../../src/jobs/email/message-id-for.js';
import { SENT_RECORD_TTL_SECONDS } from '../../../../src/jobs/email/sent-email-records.js';

// RFC 5322 §3.6.4 msg-id with a dot-atom-text left part.
const MSG_ID = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9.-]+>$/;

describe('messageIdFor (RFC 5322 §3.6.4)', () => {
  it('is the same for every attempt of one message, and differs between messages', () => {
    const from = 'Acme Identity <no-reply@acme.example>';
    expect(messageIdFor('password_reset.abc', from)).toBe(messageIdFor('password_reset.abc', from));
    expect(messageIdFor('password_reset.abc', from)).not.toBe(messageIdFor('password_reset.abd', from));
  });

  it('uses the From domain on the right, and lanyard.invalid when there is none', () => {
    expect(messageIdFor('k.1', 'Acme <no-reply@Acme.Example>')).toMatch(/@acme\.example>$/);
    expect(messageIdFor('k.1', 'no-reply@mail.acme.example')).toMatch(/@mail\.acme\.example>$/);
    expect(messageIdFor('k.1', 'Acme Identity')).toMatch(/@lanyard\.invalid>$/);
  });

  it.each(['.leading', 'trailing.', 'double..dot', 'z', 'x'.repeat(200)])('is a valid msg-id of fixed length for the key %s, without the key itself', (key) => {
    const id = messageIdFor(key, 'no-reply@acme.example');
    expect(id).toMatch(MSG_ID);
    expect(id).toHaveLength('<@acme.example>'.length + 40);
    expect(id).not.toContain(key);
  });
});

describe('mailboxAddress', () => {
  it.each([
    ['no-reply@acme.example', 'no-reply@acme.example'],
    ['Acme Identity <no-reply@acme.example>', 'no-reply@acme.example'],
    ['"Acme, Inc." <no-reply@acme.example>', 'no-reply@acme.example'],
    ['Acme Identity', undefined],
    ['<>', undefined],
  ])('%s → %s', (mailbox, address) => {
    expect(mailboxAddress(mailbox)).toBe(address);
  });
});

describe('sent records', () => {
  it('outlive every email job BullMQ keeps, so a re-added message is still recognised', () => {
    expect(SENT_RECORD_TTL_SECONDS).toBeGreaterThan(EMAIL_JOB_OPTIONS.removeOnComplete.age);
    expect(SENT_RECORD_TTL_SECONDS).toBeGreaterThan(EMAIL_JOB_OPTIONS.removeOnFail.age);
  });
});
