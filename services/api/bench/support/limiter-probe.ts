// Micro-benchmark of SlidingWindowLimiter.hit against real Redis, run pinned like the API so its
// CPU per call compares with the token endpoint's. Prints one JSON line.
// Env: REDIS_URL, CONCURRENCY, DURATION_SECONDS.
import { randomBytes } from 'node:crypto';
import { systemClock } from '@lanyard/clock';
import { createLogger } from '@lanyard/logger';
import { createRedis } from '../../src/infra/create-redis.js';
import { LocalWindowLimiter } from '../../src/domain/rate-limit/local-window-limiter.js';
import { SlidingWindowLimiter } from '../../src/domain/rate-limit/sliding-window-limiter.js';
import { RedisGuard } from '../../src/infra/redis-guard.js';

const concurrency = Number(process.env.CONCURRENCY ?? 50);
const durationMs = Number(process.env.DURATION_SECONDS ?? 10) * 1000;
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'lanyard-bench-limiter');
const prefix = `bench:limiter:${randomBytes(4).toString('hex')}:`;
const log = createLogger({ service: 'bench', level: 'warn' });
await redis.ping(); // connected first: the guard fails fast (to the fallback) while a connection is not ready
const guard = new RedisGuard(redis, { timeoutMs: 1_000, probeIntervalMs: 1_000 }, systemClock, log);
const limiter = new SlidingWindowLimiter(redis, prefix, guard, new LocalWindowLimiter(1, systemClock));
const never = (name: string) => ({ name, limit: 1_000_000_000, windowSeconds: 60 });
// Exactly what the token endpoint sends on success, in one pipeline: the failure records of the
// client and the network (looked at) and the client's budget (charged), with limits never reached.
const batch = [
  { policy: never('client-auth-failures'), subject: 'bench:bench-service:127.0.0.0/24', cost: 0 as const },
  { policy: never('network-auth-failures'), subject: '127.0.0.0/24', cost: 0 as const },
  { policy: never('token'), subject: 'bench:bench-service', cost: 1 as const },
];
const hit = async () => {
  const decisions = await limiter.decide(batch);
  return { allowed: decisions.every((d) => d.allowed && !d.degraded) };
};

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

for (let i = 0; i < 3_000; i += 1) await hit(); // warm-up: script loaded (EVALSHA), JIT

// Unloaded: one call at a time, so the latency is the round trip itself.
const sequential: number[] = [];
for (let i = 0; i < 5_000; i += 1) {
  const started = process.hrtime.bigint();
  const decision = await hit();
  sequential.push(Number(process.hrtime.bigint() - started) / 1e3);
  if (!decision.allowed) throw new Error('limiter refused during the probe');
}
sequential.sort((a, b) => a - b);

// Loaded: `concurrency` callers in a closed loop, like autocannon's connections.
let calls = 0;
const cpuBefore = process.cpuUsage();
const started = Date.now();
const loaded: number[] = [];
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() - started < durationMs) {
      const t0 = process.hrtime.bigint();
      await hit();
      if ((calls & 7) === 0) loaded.push(Number(process.hrtime.bigint() - t0) / 1e3);
      calls += 1;
    }
  }),
);
const elapsedSeconds = (Date.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
loaded.sort((a, b) => a - b);

// Clean up the two window keys the probe created.
const keys = await redis.keys(`${prefix}*`);
if (keys.length > 0) await redis.del(...keys);
await redis.quit();

console.log(
  JSON.stringify({
    sequentialP50Micros: percentile(sequential, 0.5),
    sequentialP99Micros: percentile(sequential, 0.99),
    loadedCallsPerSecond: calls / elapsedSeconds,
    loadedP50Micros: percentile(loaded, 0.5),
    loadedP99Micros: percentile(loaded, 0.99),
    cpuMicrosPerCall: (cpu.user + cpu.system) / calls,
    concurrency,
  }),
);
