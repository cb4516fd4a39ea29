import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@lanyard/clock';
import { createLogger } from '@lanyard/logger';
import { testEnvironment, uniqueRedisPrefix } from '@lanyard/testing';
import { LocalWindowLimiter } from '../../../src/domain/rate-limit/local-window-limiter.js';
import { SlidingWindowLimiter } from '../../../src/domain/rate-limit/sliding-window-limiter.js';
import { createRedis } from '../../../src/infra/create-redis.js';
import { RedisGuard } from '../../../src/infra/redis-guard.js';
import { adminClient } from '../../support/admin-client.js';
import { startTestApi, type TestApi } from '../../support/test-api.js';

/**
 * Limits are shared by every replica through Redis, on Redis's clock: two API replicas whose own
 * clocks disagree by 45 seconds still enforce one limit together, and a burst at a window edge
 * cannot get twice the limit through.
 */
describe('rate limits shared by replicas', () => {
  const limit = 6;
  let first: TestApi;
  let second: TestApi;
  beforeAll(async () => {
    first = await startTestApi({ env: { RATE_LIMIT_TOKEN_PER_MINUTE: String(limit) } });
    second = await startTestApi({ env: { RATE_LIMIT_TOKEN_PER_MINUTE: String(limit) }, replicaOf: first });
    second.time.advance(45_000); // the second replica's clock runs 45 s ahead
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('two replicas with skewed clocks allow the configured limit together (±1), not each', async () => {
    const admin = adminClient(first.app, await first.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
    const secret = (await admin.put('/tenants/acme/clients/shared', { type: 'confidential', grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'client_secret_post' })).json().clientSecret as string;
    const request = (api: TestApi) =>
      api.app.inject({
        method: 'POST',
        url: '/tenants/acme/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'shared', client_secret: secret }).toString(),
      });
    const statuses = [];
    for (let i = 0; i < limit * 2; i += 1) statuses.push((await request(i % 2 === 0 ? first : second)).statusCode);
    const allowed = statuses.filter((s) => s === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(limit - 1);
    expect(allowed).toBeLessThanOrEqual(limit + 1);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
  });
});

describe('the sliding window at a window edge', () => {
  const policy = { name: 'edge', limit: 10, windowSeconds: 2 };
  const log = createLogger({ service: 'test', level: 'silent' });
  const prefix = uniqueRedisPrefix();
  const connections = [createRedis(testEnvironment.redisUrl, 'replica-a'), createRedis(testEnvironment.redisUrl, 'replica-b')];
  const [a, b] = connections.map(
    (redis) => new SlidingWindowLimiter(redis, prefix, new RedisGuard(redis, { timeoutMs: 1_000, probeIntervalMs: 1_000 }, systemClock, log), new LocalWindowLimiter(1, systemClock)),
  ) as [SlidingWindowLimiter, SlidingWindowLimiter];
  beforeAll(async () => {
    await Promise.all(connections.map((c) => c.ping()));
  });
  afterAll(() => connections.forEach((c) => c.disconnect()));

  /** Milliseconds until the next window boundary, on Redis's clock (the one the script uses). */
  const untilBoundary = async () => {
    const [seconds, micros] = await connections[0]!.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    return policy.windowSeconds * 1000 - (now % (policy.windowSeconds * 1000));
  };

  it('a full burst just before the edge leaves (almost) nothing just after it, on another replica', async () => {
    // Start right after a boundary, spend the limit late in the window, then cross the edge.
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await sleep((await untilBoundary()) + 1_500);
    const before = await Promise.all(Array.from({ length: policy.limit }, () => a.hit(policy, 'burst')));
    expect(before.every((d) => d.allowed && !d.degraded)).toBe(true);
    await sleep((await untilBoundary()) + 20);
    const after = await Promise.all(Array.from({ length: policy.limit }, () => b.hit(policy, 'burst')));
    // A fixed window would allow another 10 here; the sliding window still weighs the burst ~99 %.
    expect(after.filter((d) => d.allowed).length).toBeLessThanOrEqual(1);
    expect(after.find((d) => !d.allowed)?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('Retry-After of a full window reaches past its end, to when the weighted count allows one more', async () => {
    const long = { name: 'retry-after', limit: 4, windowSeconds: 10 };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Spend the limit in the last 1.5 s of a 10 s window, on Redis's clock.
    const [seconds, micros] = await connections[0]!.time();
    const intoWindow = (Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)) % 10_000;
    if (intoWindow < 8_500) await sleep(8_500 - intoWindow);
    for (let i = 0; i < long.limit; i += 1) expect((await a.hit(long, 'late-burst')).allowed).toBe(true);
    const refused = await b.hit(long, 'late-burst');
    expect(refused.allowed).toBe(false);
    // The window ends within 1.5 s, but then its 4 count as the previous window at full weight:
    // one more is allowed only once their weight is below 3/4, 2.5 s into the next window.
    expect(refused.resetSeconds).toBeLessThanOrEqual(2);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(refused.resetSeconds + 2);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(refused.resetSeconds + 3);
  });

  it('concurrent requests share script calls, and are decided in the order they came, exactly', async () => {
    // Counts the script calls this replica sends (Redis is real; only the call is observed).
    const commands = connections[0] as unknown as { lanyardWindow: (...args: unknown[]) => Promise<number[]> };
    const send = commands.lanyardWindow.bind(commands);
    let calls = 0;
    commands.lanyardWindow = (...args) => ((calls += 1), send(...args));
    try {
      const budget = { name: 'concurrent', limit: 25, windowSeconds: 60 };
      const looked = { name: 'concurrent-look', limit: 1_000, windowSeconds: 60 };
      const requests = Array.from({ length: 70 }, () =>
        a.decide([
          { policy: looked, subject: 'shared-client', cost: 0 },
          { policy: budget, subject: 'shared-client', cost: 1 },
        ]),
      );
      const decisions = await Promise.all(requests);
      const allowed = decisions.map(([look, charge]) => {
        expect(look!.allowed && !look!.degraded && !charge!.degraded).toBe(true);
        return charge!.allowed;
      });
      // Exactly the first 25, as 70 calls one after another would decide.
      expect(allowed).toEqual(Array.from({ length: 70 }, (_, i) => i < budget.limit));
      expect(decisions[budget.limit - 1]![1]!.remaining).toBe(0);
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThan(requests.length / 4);
    } finally {
      commands.lanyardWindow = send;
    }
  });

  it('every key it writes has a TTL, and its name carries a hash tag (Redis Cluster)', async () => {
    await a.hit(policy, 'ttl-check');
    const keys = await connections[0]!.keys(`${prefix}rl:{edge:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/^.+rl:\{edge:[A-Za-z0-9_-]{22}\}$/);
      const ttl = await connections[0]!.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(policy.windowSeconds * 2 * 1000);
    }
    expect(keys.join(' ')).not.toContain('ttl-check'); // subjects are hashed, never stored as given
  });
});
