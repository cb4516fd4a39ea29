import { describe, expect, it } from 'vitest';
import { createLogger } from '@lanyard/logger';
import { testClock } from '@lanyard/testing';
import { RedisGuard, RedisUnavailable } from '../../../src/infra/redis-guard.js';

const log = createLogger({ service: 'test', level: 'silent' });

function guard(status: { status: string } = { status: 'ready' }) {
  const time = testClock({ frozenAt: new Date('2026-01-01T00:00:00Z') });
  const states: boolean[] = [];
  const g = new RedisGuard(status as never, { timeoutMs: 20, probeIntervalMs: 1_000, onStateChange: (open) => states.push(open) }, time.clock, log);
  return { g, time, states, status };
}

describe('RedisGuard (fail fast, probe for recovery)', () => {
  it('passes calls through while Redis answers', async () => {
    const { g, states } = guard();
    expect(await g.run(async () => 'ok')).toBe('ok');
    expect(g.open).toBe(false);
    expect(states).toEqual([]);
  });

  it('fails at once, without calling, while the connection is not ready', async () => {
    const { g, states } = guard({ status: 'reconnecting' });
    let called = false;
    await expect(g.run(async () => (called = true))).rejects.toThrow(RedisUnavailable);
    expect(called).toBe(false);
    expect(states).toEqual([true]);
  });

  it('gives up on a call after the deadline and opens the circuit', async () => {
    const { g } = guard();
    await expect(g.run(() => new Promise(() => {}))).rejects.toThrow('no answer within 20 ms');
    expect(g.open).toBe(true);
  });

  it('while open, fails without calling; after the probe interval one probe closes it again', async () => {
    const { g, time, states } = guard();
    await expect(g.run(async () => Promise.reject(new Error('ECONNRESET')))).rejects.toThrow(RedisUnavailable);
    let calls = 0;
    await expect(g.run(async () => ++calls)).rejects.toThrow('circuit open');
    expect(calls).toBe(0);
    time.advance(1_000);
    expect(await g.run(async () => ++calls)).toBe(1);
    expect(g.open).toBe(false);
    expect(states).toEqual([true, false]);
  });

  it('a failed probe keeps it open for another interval', async () => {
    const { g, time } = guard();
    await expect(g.run(async () => Promise.reject(new Error('down')))).rejects.toThrow();
    time.advance(1_000);
    await expect(g.run(async () => Promise.reject(new Error('still down')))).rejects.toThrow();
    await expect(g.run(async () => 'x')).rejects.toThrow('circuit open');
    time.advance(1_000);
    expect(await g.run(async () => 'x')).toBe('x');
  });
});
