import { describe, expect, it } from 'vitest';
import { InvalidClient } from '@lanyard/errors';
import { readBasicCredentials } from '../../../src/oauth/token/read-basic-credentials.js';

const basic = (userPass: string, scheme = 'Basic') => `${scheme} ${Buffer.from(userPass, 'utf8').toString('base64')}`;

describe('readBasicCredentials (RFC 6749 §2.3.1, RFC 7617)', () => {
  it('reads an id and secret that need no decoding as they are', () => {
    expect(readBasicCredentials(basic('svc:s3cr3t-Value_~.'))).toEqual({ id: 'svc', secret: 's3cr3t-Value_~.', rawSecret: 's3cr3t-Value_~.' });
  });

  it('form-decodes both parts (%XX and +), and keeps the secret as sent for clients that skip encoding', () => {
    expect(readBasicCredentials(basic('my%3Aclient:a%2Bb+c%25'))).toEqual({ id: 'my:client', secret: 'a+b c%', rawSecret: 'a%2Bb+c%25' });
  });

  it('takes a part that does not decode as sent', () => {
    expect(readBasicCredentials(basic('svc:100%'))).toEqual({ id: 'svc', secret: '100%', rawSecret: '100%' });
  });

  it('splits at the first colon: the secret may contain colons', () => {
    expect(readBasicCredentials(basic('svc:a:b:c'))?.secret).toBe('a:b:c');
  });

  it('matches the scheme case-insensitively and ignores other schemes', () => {
    expect(readBasicCredentials(basic('svc:x', 'bAsIc'))?.id).toBe('svc');
    expect(readBasicCredentials('Bearer abc')).toBeUndefined();
    expect(readBasicCredentials(undefined)).toBeUndefined();
  });

  it('refuses credentials without an id or a colon as invalid_client, with a Basic challenge', () => {
    for (const header of [basic(':secret'), basic('no-colon'), 'Basic ', basic('\u0000')]) {
      try {
        readBasicCredentials(header);
        expect.unreachable(header);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidClient);
        expect((error as InvalidClient).headers).toEqual({ 'www-authenticate': 'Basic' });
      }
    }
  });
});
