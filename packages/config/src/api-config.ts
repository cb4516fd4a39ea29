import * as z from 'zod/mini';
import { bool, int, optionalBool, str, url } from './fields.js';
import { bootstrapShape, coreShape, secretNames, smtpShape } from './core-config.js';
import { loadConfig, loadConfigOrExit } from './load-config.js';

const apiSchema = z.pipe(
  z.object({
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
    /**
     * Per-tenant latency histograms (`identity_token_duration_seconds{tenant}`). Off, histograms
     * record `tenant=""` and only counters keep per-tenant detail: for installations with more
     * tenants than the defaults are sized for (docs/reference/metrics.md "Cardinality").
     */
    METRICS_TENANT_HISTOGRAMS: bool(true),
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
    /**
     * Niceness of every thread but the main one (libuv's pool, where Argon2id runs, and V8's
     * helpers), so request handling gets a busy core first; 0 leaves them as started. Linux only.
     */
    HELPER_THREAD_NICENESS: int(10, 0, 19),
    /**
     * Rate limits (docs/reference/rate-limits.md). Token requests per minute of an authenticated
     * confidential client (per client and IP network for public clients, which cannot authenticate).
     */
    RATE_LIMIT_TOKEN_PER_MINUTE: int(600, 1, 1_000_000),
    /** Failed client authentications per minute per (tenant, client, IP network), then 429. */
    RATE_LIMIT_CLIENT_AUTH_FAILURES_PER_MINUTE: int(20, 1, 100_000),
    /** Failed client authentications per minute per IP network, across clients. */
    RATE_LIMIT_NETWORK_AUTH_FAILURES_PER_MINUTE: int(200, 1, 1_000_000),
    /** Failed sign-ins per (tenant, account, IP network) within a minute before attempts must wait. */
    LOGIN_FAILURE_BURST: int(3, 1, 1_000),
    /** Failed sign-ins per (tenant, account, IP network) that lock that network out of that account. */
    LOGIN_LOCKOUT_FAILURES: int(10, 2, 10_000),
    LOGIN_LOCKOUT_SECONDS: int(900, 60, 86_400),
    /** Failed sign-ins per account from all networks together before password sign-in locks account-wide. */
    LOGIN_ACCOUNT_LOCKOUT_FAILURES: int(100, 10, 1_000_000),
    LOGIN_ACCOUNT_LOCKOUT_SECONDS: int(3_600, 60, 86_400),
    /** Sign-in interactions /authorize may open per minute per IP network (each is held in Redis). */
    RATE_LIMIT_INTERACTIONS_PER_MINUTE: int(120, 1, 1_000_000),
    /** How long an unfinished sign-in interaction is kept. */
    INTERACTION_TTL_SECONDS: int(900, 60, 3_600),
    /**
     * Self-service requests (sign-up, forgot password, resend verification) per minute per IP
     * network: each one can send an email, so a script cannot mail-bomb through us.
     */
    RATE_LIMIT_ACCOUNT_REQUESTS_PER_MINUTE: int(20, 1, 100_000),
    /**
     * Emails of one kind to one address per hour. Links are not invalidated by a newer request, so
     * the ones already delivered keep working when an attacker exhausts this for a victim.
     */
    RATE_LIMIT_EMAILS_PER_ADDRESS_PER_HOUR: int(5, 1, 1_000),
    /** Lifetimes of emailed links (docs/reference/accounts.md). */
    EMAIL_VERIFICATION_TTL_SECONDS: int(86_400, 300, 7 * 86_400),
    PASSWORD_RESET_TTL_SECONDS: int(1_800, 300, 86_400),
    EMAIL_CHANGE_TTL_SECONDS: int(3_600, 300, 86_400),
    INVITATION_TTL_SECONDS: int(7 * 86_400, 3_600, 30 * 86_400),
    /**
     * Sign-up, forgot password and resend answer no sooner than this after they start, whether or
     * not the address is registered, so their timing reveals nothing (the slower path sets it).
     */
    ACCOUNT_RESPONSE_FLOOR_MS: int(400, 0, 5_000),
    /**
     * Replicas sharing the limits. While Redis is unreachable each process enforces
     * `limit / RATE_LIMIT_REPLICAS` on its own, so the fleet stays near the configured limit.
     */
    RATE_LIMIT_REPLICAS: int(1, 1, 1_000),
    /**
     * Seconds the API keeps serving after SIGTERM, with readiness already 503, before its listener
     * closes: the time a load balancer needs to stop sending new connections (the chart sets 5).
     */
    SHUTDOWN_DRAIN_SECONDS: int(0, 0, 60),
    /** Where audit events wait on local disk while PostgreSQL refuses them (the pod's /tmp emptyDir). */
    AUDIT_SPOOL_DIR: str('/tmp/lanyard-audit-spool'),
    /** Largest spool file per process; past it, events are logged for replay and counted as dropped. */
    AUDIT_SPOOL_MAX_BYTES: int(64 * 1024 * 1024, 1024 * 1024, 8 * 1024 * 1024 * 1024),
    /** Audit events held in memory during a database outage before the oldest half is spooled. */
    AUDIT_BUFFER_MAX: int(20_000, 1_000, 1_000_000),
    /** Longest a request waits for a rate-limit call before the per-process fallback decides. */
    REDIS_COMMAND_TIMEOUT_MS: int(50, 5, 5_000),
    /**
     * Longest a request waits for Redis as a store (interactions, revocations, challenges) before it
     * answers 503 and the store's circuit opens. Longer than the limiter's: there is no fallback, so a
     * reply that is merely late (a busy or CPU-throttled node) must not take logins away for a second.
     */
    REDIS_STORE_TIMEOUT_MS: int(1_000, 50, 10_000),
    /** Seeds a `demo` tenant, public client and user on start; defaults to on in development only. */
    SEED_DEMO: optionalBool(),
  }),
  z.transform((env) => ({ ...env, SEED_DEMO: env.SEED_DEMO ?? env.NODE_ENV === 'development', isProduction: env.NODE_ENV === 'production' })),
);

export type ApiConfig = z.output<typeof apiSchema>;

export const loadApiConfig = (env?: NodeJS.ProcessEnv): Readonly<ApiConfig> => loadConfig(apiSchema, secretNames, env);
export const loadApiConfigOrExit = (): Readonly<ApiConfig> => loadConfigOrExit(apiSchema, secretNames);
