// The raw Argon2 bound for hosted logins: argon2.verify at the configured parameters with the same
// concurrency the API allows (PASSWORD_HASH_CONCURRENCY), pinned and with the same UV_THREADPOOL_SIZE
// as the API under test. Prints one JSON line. Env: CONCURRENCY, DURATION_SECONDS, ARGON2_*.
import argon2 from 'argon2';

const concurrency = Number(process.env.CONCURRENCY ?? 2);
const durationMs = Number(process.env.DURATION_SECONDS ?? 10) * 1000;
const params = {
  type: argon2.argon2id,
  memoryCost: Number(process.env.ARGON2_MEMORY_KIB ?? 19_456),
  timeCost: Number(process.env.ARGON2_TIME_COST ?? 2),
  parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1),
};
const password = 'correct horse battery staple';
const hash = await argon2.hash(password, params);
for (let i = 0; i < concurrency * 2; i += 1) await argon2.verify(hash, password); // warm-up

let verified = 0;
const latencies: number[] = [];
const started = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() - started < durationMs) {
      const t0 = process.hrtime.bigint();
      if (!(await argon2.verify(hash, password))) throw new Error('verify failed');
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      verified += 1;
    }
  }),
);
const elapsedSeconds = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    verifiesPerSecond: verified / elapsedSeconds,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)],
    p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
    concurrency,
    params: { memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: params.parallelism },
  }),
);
