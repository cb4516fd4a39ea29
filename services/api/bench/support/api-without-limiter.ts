// Bench-only cross-check for the limiter's cost: the API wired exactly as src/server.ts does, except
// that the token/login limiter allows everything without calling Redis. No production code or flag
// changes; this file is never deployed. The headline limiter figure comes from the isolated
// micro-benchmark (limiter-probe.ts); this A/B run only confirms its order of magnitude.
import { loadApiConfigOrExit } from '@lanyard/config';
import { createLogger } from '@lanyard/logger';
import { buildApp } from '../../src/app.js';
import { createAppContext } from '../../src/context.js';
import { ensureSystemTenant } from '../../src/bootstrap/ensure-system-tenant.js';
import type { LimitDecision, LimitRequest } from '../../src/domain/rate-limit/limit-policy.js';
import type { RateLimiter } from '../../src/domain/rate-limit/sliding-window-limiter.js';

const allow = (r: LimitRequest): LimitDecision => ({ policy: r.policy, allowed: true, retryAfterSeconds: 0, remaining: r.policy.limit, resetSeconds: 0, degraded: false });

/** Decides everything "allowed" without calling Redis. */
const allowEverything: RateLimiter = {
  async hit(policy, subject) {
    return allow({ policy, subject, cost: 1 });
  },
  async decide(requests) {
    return requests.map(allow);
  },
};

const config = loadApiConfigOrExit();
const log = createLogger({ service: 'api', level: config.LOG_LEVEL });
const wired = await createAppContext(config, log);
const ctx = { ...wired, limiter: allowEverything as typeof wired.limiter };
await ensureSystemTenant(ctx);
const app = await buildApp(ctx);
await app.listen({ host: config.HOST, port: config.PORT });

process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => ctx.close())
    .then(() => process.exit(0));
});
