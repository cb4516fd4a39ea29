import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/index.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes the contract fields: string level, ISO time, service, msg', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'api', level: 'info', destination }).info({ tenant: 'acme' }, 'tenant reconciled');
    expect(lines[0]).toEqual({ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: 'api', tenant: 'acme', msg: 'tenant reconciled' });
  });

  it('redacts credentials in headers and bodies', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'api', level: 'info', destination }).info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1' } },
        body: { password: 'hunter2', client_secret: 's3cret', refresh_token: 'rt' },
        secret: 'top',
      },
      'request',
    );
    const text = JSON.stringify(lines[0]);
    for (const leaked of ['Bearer abc', 'sid=1', 'hunter2', 's3cret', '"rt"', 'top']) expect(text).not.toContain(leaked);
    expect(text).toContain('[redacted]');
  });

  it('keeps error codes (redaction is by credential name only)', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'api', level: 'info', destination }).info({ err: { code: 'ECONNREFUSED' } }, 'x');
    expect((lines[0]!.err as { code: string }).code).toBe('ECONNREFUSED');
  });
});
