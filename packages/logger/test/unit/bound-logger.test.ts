import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundLogger, createLogger } from '../../src/index.js';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createLogger({ service: 'api', level, destination }) };
}

/** Every call shape request code uses, logged through a pino child and through the bound logger. */
const calls: Array<[string, (log: ReturnType<typeof boundLogger>) => void]> = [
  ['fields and message', (log) => log.info({ tenant: 'acme', statusCode: 200 }, 'request completed')],
  ['message only', (log) => log.warn('draining')],
  ['message with format arguments', (log) => log.info('took %d ms for %s', 12, 'acme')],
  ['a bare error', (log) => log.error(new Error('boom'))],
  ['an error with a message', (log) => log.error(new Error('boom'), 'request failed')],
  ['an err field', (log) => log.error({ err: new Error('boom'), tenant: 'acme' }, 'request failed')],
  ['credentials in fields', (log) => log.info({ client_secret: 's3cret', body: { password: 'hunter2' } }, 'rejected')],
  ['fields that overwrite a binding', (log) => log.info({ reqId: 'other' }, 'x')],
];

describe('boundLogger', () => {
  it.each(calls)('writes the same line as a pino child: %s', (_name, call) => {
    const viaChild = capture();
    const viaBound = capture();
    call(viaChild.logger.child({ reqId: 'r-1' }) as unknown as ReturnType<typeof boundLogger>);
    call(boundLogger(viaBound.logger, { reqId: 'r-1' }));
    // Time differs, and so does an error's stack: each side's Error is made on its own call.
    const strip = ({ time: _t, err, ...rest }: Record<string, unknown>) => {
      if (err === undefined) return rest;
      const { stack, ...error } = err as Record<string, unknown>;
      return { ...rest, err: { ...error, stack: String(stack).split('\n')[0] } };
    };
    expect(viaBound.lines).toHaveLength(1);
    expect(viaBound.lines.map(strip)).toEqual(viaChild.lines.map(strip));
    // Key order is part of the line a human reads: bindings first, as a child writes them.
    expect(Object.keys(viaBound.lines[0]!)).toEqual(Object.keys(viaChild.lines[0]!));
  });

  it('redacts credentials and keeps the binding', () => {
    const { lines, logger } = capture();
    boundLogger(logger, { reqId: 'r-1' }).info({ client_secret: 's3cret', nested: { token: 'tok' } }, 'x');
    expect(lines[0]).toMatchObject({ reqId: 'r-1', client_secret: '[redacted]', nested: { token: '[redacted]' } });
  });

  it("follows the parent's level, writes nothing below it, and reports it", () => {
    const { lines, logger } = capture('warn');
    const log = boundLogger(logger, { reqId: 'r-1' });
    log.info({ a: 1 }, 'hidden');
    log.debug('hidden');
    log.silent('hidden');
    log.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
    expect(log.level).toBe('warn');
    logger.level = 'debug';
    log.debug('now shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown', 'now shown']);
  });

  it('makes real children that keep the binding', () => {
    const { lines, logger } = capture();
    const child = boundLogger(logger, { reqId: 'r-1' }).child({ job: 'email' });
    child.info('sent');
    expect(lines[0]).toMatchObject({ reqId: 'r-1', job: 'email', msg: 'sent' });
  });
});
