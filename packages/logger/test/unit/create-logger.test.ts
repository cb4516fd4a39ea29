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

describe('the err serializer', () => {
  /** Shaped like drizzle's DrizzleQueryError wrapping pg's DatabaseError. */
  function failedQuery() {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "users_tenant_email"'), {
      code: '23505',
      constraint: 'users_tenant_email',
      table: 'users',
      detail: 'Key (tenant_id, email)=(7f0c, alice@example.com) already exists.',
      where: 'SQL statement "insert into users"',
    });
    return Object.assign(
      new Error('Failed query: insert into "users" ("email", "password_hash") values ($1, $2)\nparams: alice@example.com,$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', { cause: pgError }),
      { query: 'insert into "users" ("email", "password_hash") values ($1, $2)', params: ['alice@example.com', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'] },
    );
  }

  it('never writes query parameters, statement text or row values, but keeps what debugging needs', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'api', level: 'info', destination }).error({ err: failedQuery() }, 'request failed');
    const text = JSON.stringify(lines[0]);
    for (const leaked of ['alice@example.com', '$argon2id$', 'aGFzaA', 'Key (tenant_id', 'password_hash']) expect(text).not.toContain(leaked);
    const err = lines[0]!.err as { message: string; stack: string; cause: Record<string, unknown> };
    expect(err.message).toBe('Failed query (statement and parameters omitted)');
    expect(err.stack.split('\n')[0]).toBe('Error: Failed query (statement and parameters omitted)');
    expect(err.cause).toMatchObject({ code: '23505', constraint: 'users_tenant_email', table: 'users' });
    expect(err.cause).not.toHaveProperty('detail');
  });

  it('keeps ordinary errors readable', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'api', level: 'info', destination }).warn({ err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }) }, 'redis down');
    expect(lines[0]!.err).toMatchObject({ type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' });
  });
});
