import { z } from 'zod';
import { int, optionalBool, str, url } from './fields.js';
import { bootstrapShape, coreShape, secretNames, smtpShape } from './core-config.js';
import { loadConfig, loadConfigOrExit } from './load-config.js';

const apiSchema = z
  .object({
    ...coreShape,
    ...smtpShape,
    ...bootstrapShape,
    HOST: str('0.0.0.0'),
    PORT: int(8000, 1, 65535),
    /**
     * `/metrics` is served on its own listener, never on PORT: it names every tenant, and the public
     * Ingress routes everything on PORT. Only Prometheus (in-cluster) should reach this one.
     */
    METRICS_PORT: int(9464, 1, 65535),
    /** Base of every issuer: `{PUBLIC_URL}/tenants/{tenant}`. */
    PUBLIC_URL: url(['http', 'https'], 'http://localhost:8000'),
    /** Trust `X-Forwarded-*` from this many proxy hops (0 = none). */
    TRUST_PROXY_HOPS: int(0, 0, 10),
    ACCESS_TOKEN_TTL_SECONDS: int(300, 30, 86_400),
    ID_TOKEN_TTL_SECONDS: int(300, 30, 86_400),
    /** RFC 6749 §4.1.2 recommends ≤ 10 min; ours is capped at 60 s (docs/reference/tokens.md). */
    AUTHORIZATION_CODE_TTL_SECONDS: int(60, 5, 60),
    REFRESH_TOKEN_IDLE_TTL_SECONDS: int(14 * 86_400, 60, 365 * 86_400),
    REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: int(30 * 86_400, 60, 365 * 86_400),
    /** A refresh token reused within this window returns the same successor instead of revoking the family. */
    REFRESH_TOKEN_REUSE_GRACE_SECONDS: int(10, 0, 120),
    SESSION_TTL_SECONDS: int(8 * 3600, 60, 30 * 86_400),
    SIGNING_KEY_ROTATION_DAYS: int(30, 1, 365),
    /** A new key is published this long before it starts signing, so caches of the JWKS pick it up. */
    SIGNING_KEY_PUBLISH_AHEAD_SECONDS: int(3600, 0, 7 * 86_400),
    /** Argon2id parameters; OWASP's minimum is m=19 MiB, t=2, p=1. */
    ARGON2_MEMORY_KIB: int(19_456, 19_456, 1_048_576),
    ARGON2_TIME_COST: int(2, 2, 20),
    ARGON2_PARALLELISM: int(1, 1, 8),
    /** Concurrent password hashes per process; the rest queue, so token signing keeps the thread pool. */
    PASSWORD_HASH_CONCURRENCY: int(2, 1, 64),
    RATE_LIMIT_TOKEN_PER_MINUTE: int(600, 1, 1_000_000),
    RATE_LIMIT_LOGIN_PER_MINUTE: int(10, 1, 10_000),
    /** Seeds a `demo` tenant, public client and user on start; defaults to on in development only. */
    SEED_DEMO: optionalBool(),
  })
  .transform((env) => ({ ...env, SEED_DEMO: env.SEED_DEMO ?? env.NODE_ENV === 'development', isProduction: env.NODE_ENV === 'production' }));

export type ApiConfig = z.output<typeof apiSchema>;

export const loadApiConfig = (env?: NodeJS.ProcessEnv): Readonly<ApiConfig> => loadConfig(apiSchema, secretNames, env);
export const loadApiConfigOrExit = (): Readonly<ApiConfig> => loadConfigOrExit(apiSchema, secretNames);
