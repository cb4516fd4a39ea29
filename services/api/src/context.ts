import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '@lanyard/clock';
import type { ApiConfig } from '@lanyard/config';
import { createDatabase, type DatabaseHandle } from '@lanyard/db';
import type { Logger } from '@lanyard/logger';
import { createApiMetrics, initialiseAuthSeries, Registry, collectDefaultMetrics, type ApiMetrics } from '@lanyard/metrics';
import { deriveKey, EnvelopeCipher, SecretHasher } from '@lanyard/security';
import { createRedis } from './infra/create-redis.js';
import { InvalidationBus } from './infra/invalidation-bus.js';
import { AuditLog } from './domain/audit/audit-log.js';
import { AuditStore } from './domain/audit/audit-store.js';
import { FileAuditSpool, spoolScope } from './infra/audit-spool-file.js';
import { ClientService } from './domain/clients/client-service.js';
import { rotationPolicy, SigningKeyService } from './domain/keys/signing-key-service.js';
import { LocalWindowLimiter } from './domain/rate-limit/local-window-limiter.js';
import { LoginAttempts } from './domain/rate-limit/login-attempts.js';
import { SlidingWindowLimiter } from './domain/rate-limit/sliding-window-limiter.js';
import { RedisGuard } from './infra/redis-guard.js';
import { TenantService } from './domain/tenants/tenant-service.js';
import { AccessTokenService } from './domain/tokens/access-token-service.js';
import { AccessTokenValidator } from './domain/tokens/access-token-validator.js';
import { PasswordHasher } from './domain/users/password-hasher.js';
import { ConsentService } from './domain/consents/consent-service.js';
import { AuthorizationCodeService } from './domain/grants/authorization-code-service.js';
import { SessionService } from './domain/sessions/session-service.js';
import { AccessTokenDenylist } from './domain/tokens/access-token-denylist.js';
import { IdTokenService } from './domain/tokens/id-token-service.js';
import { RefreshTokenService } from './domain/tokens/refresh-token-service.js';
import { InteractionStore } from './oauth/interaction/interaction-store.js';
import { UserService } from './domain/users/user-service.js';
import { EmailOutbox } from './infra/email-outbox.js';
import { AccountMailer } from './domain/accounts/account-mailer.js';
import { AccountSettings } from './domain/accounts/account-settings.js';
import { ActionTokenService } from './domain/accounts/action-token-service.js';
import { EmailChange } from './domain/accounts/email-change-service.js';
import { EmailVerification } from './domain/accounts/email-verification-service.js';
import { Invitations } from './domain/accounts/invitation-service.js';
import { KnownBrowsers } from './domain/accounts/known-browsers.js';
import { PasswordChangedNotice } from './domain/accounts/password-changed-notice.js';
import { PasswordReset } from './domain/accounts/password-reset-service.js';
import { SignupService } from './domain/accounts/signup-service.js';
import { FormCsrf } from './accounts/form-csrf.js';
import { RecoveryCodeService } from './domain/mfa/recovery-code-service.js';
import { SecondFactors } from './domain/mfa/second-factors.js';
import { TotpService } from './domain/mfa/totp-service.js';
import { PasskeyService, relyingPartyOf } from './domain/mfa/passkey-service.js';
import { WebauthnChallenges } from './oauth/interaction/webauthn-challenges.js';
import { PendingSignIns } from './oauth/interaction/pending-sign-in.js';
import { RecoveryCodeView } from './accounts/recovery-code-view.js';
import { IdentityProviderService } from './domain/federation/identity-provider-service.js';
import { UpstreamClients } from './domain/federation/upstream-client.js';
import { UpstreamIdentityService } from './domain/federation/upstream-identity-service.js';
import { FederationTransactions } from './oauth/interaction/federation-transactions.js';

/**
 * Everything the API's routes depend on, wired once at start-up. Tests build one against real
 * PostgreSQL and Redis exactly as `server.ts` does.
 */
export interface AppContext {
  readonly config: Readonly<ApiConfig>;
  /** "Now" for every protocol decision (token times, expiry, rate-limit windows). */
  readonly clock: Clock;
  readonly log: Logger;
  readonly database: DatabaseHandle;
  readonly redis: Redis;
  readonly registry: Registry;
  readonly metrics: ApiMetrics;
  readonly bus: InvalidationBus;
  readonly secretHasher: SecretHasher;
  readonly cipher: EnvelopeCipher;
  readonly tenants: TenantService;
  readonly clients: ClientService;
  readonly users: UserService;
  readonly passwords: PasswordHasher;
  readonly keys: SigningKeyService;
  readonly accessTokens: AccessTokenService;
  readonly audit: AuditLog;
  readonly limiter: SlidingWindowLimiter;
  readonly loginAttempts: LoginAttempts;
  readonly sessions: SessionService;
  readonly consents: ConsentService;
  readonly codes: AuthorizationCodeService;
  readonly refreshTokens: RefreshTokenService;
  readonly idTokens: IdTokenService;
  readonly denylist: AccessTokenDenylist;
  /** The checks applied wherever our access tokens are accepted. */
  readonly accessTokenCheck: AccessTokenValidator;
  readonly interactions: InteractionStore;
  /** Key for stateless CSRF tokens (logout confirmation). */
  readonly csrfKey: Buffer;
  /** CSRF tokens of the account pages (bound to the browser or the session). */
  readonly formCsrf: FormCsrf;
  /** `{PUBLIC_URL}/tenants/{name}`. */
  readonly issuerOf: (tenant: string) => string;
  /** Where the API hands emails to the worker. */
  readonly outbox: EmailOutbox;
  readonly mailer: AccountMailer;
  readonly actionTokens: ActionTokenService;
  readonly knownBrowsers: KnownBrowsers;
  readonly emailVerification: EmailVerification;
  readonly signup: SignupService;
  readonly passwordReset: PasswordReset;
  readonly invitations: Invitations;
  readonly emailChange: EmailChange;
  readonly accountSettings: AccountSettings;
  /** TOTP, recovery codes, and when a sign-in needs a second factor. */
  readonly secondFactors: SecondFactors;
  /** Sign-ins whose second factor is still due (Redis, bound to a cookie of the browser). */
  readonly pendingSignIns: PendingSignIns;
  /** New recovery codes on their way to the page that shows them once. */
  readonly recoveryCodeView: RecoveryCodeView;
  /** WebAuthn challenges, each issued once to one owner. */
  readonly webauthnChallenges: WebauthnChallenges;
  /** Upstream OpenID Connect providers of each tenant, their RP configurations, and the links to local users. */
  readonly identityProviders: IdentityProviderService;
  readonly upstreamClients: UpstreamClients;
  readonly upstreamIdentities: UpstreamIdentityService;
  readonly federationTransactions: FederationTransactions;
  /** Set when SIGTERM arrives: readiness turns 503 so load balancers drain us first. */
  readonly lifecycle: { shuttingDown: boolean };
  close(): Promise<void>;
}

export interface AppContextOptions {
  /** Tests move time forward through this instead of sleeping; the wall clock otherwise. */
  readonly clock?: Clock;
}

/**
 * The composition root: every service built once and wired to the ones it needs. Endpoints and
 * grants receive this whole context but are typed on the few members they use.
 */
export async function createAppContext(config: Readonly<ApiConfig>, log: Logger, options: AppContextOptions = {}): Promise<AppContext> {
  const clock = options.clock ?? systemClock;
  const database = createDatabase({
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    applicationName: 'lanyard-api',
    // Every query on a request path is short; one that has had no answer for 5 s is a server that
    // stopped answering, and it opens the pool's circuit (docs/reliability.md), so the requests after
    // it are refused at once instead of each waiting as long. The worker keeps the 20 s default.
    queryTimeoutMs: 5_000,
    log,
  });
  const redis = createRedis(config.REDIS_URL, 'lanyard-api', { autoPipelining: true });
  const subscriber = createRedis(config.REDIS_URL, 'lanyard-api-sub');
  for (const connection of [redis, subscriber]) connection.on('error', (error) => log.warn({ err: error }, 'redis connection error'));

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createApiMetrics(registry, database.poolStats, { poolMax: config.DATABASE_POOL_MAX, tenantHistograms: config.METRICS_TENANT_HISTOGRAMS });

  const bus = new InvalidationBus(redis, subscriber, config.REDIS_KEY_PREFIX, log);
  await bus.start();
  const cipher = new EnvelopeCipher(deriveKey(config.KEY_ENCRYPTION_KEY, 'signing-key-encryption'));
  const secretHasher = new SecretHasher(deriveKey(config.KEY_ENCRYPTION_KEY, 'client-secret-pepper'));
  const keys = new SigningKeyService(database.db, cipher, rotationPolicy(config), bus, clock);
  // A tenant's failure series exist at 0 from its first request on, so panels show 0, not "No data".
  const tenants = new TenantService(database.db, bus, keys, config.PUBLIC_URL, clock, (tenant) => initialiseAuthSeries(metrics, tenant.name));
  const clients = new ClientService(database.db, bus, secretHasher, clock);
  const passwords = new PasswordHasher(
    { memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM },
    config.PASSWORD_HASH_CONCURRENCY,
  );
  const users = new UserService(database.db, passwords, clock);
  const accessTokens = new AccessTokenService(tenants, keys, clock);
  const audit = new AuditLog(
    new AuditStore(database.pool),
    new FileAuditSpool(config.AUDIT_SPOOL_DIR, spoolScope(config.DATABASE_URL), config.AUDIT_SPOOL_MAX_BYTES, log),
    metrics,
    log,
    clock,
    { maxBuffered: config.AUDIT_BUFFER_MAX },
  );
  const limiterGuard = new RedisGuard(
    redis,
    { timeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, probeIntervalMs: 1_000, onStateChange: (open) => metrics.rateLimiterDegraded.set(open ? 1 : 0) },
    clock,
    log,
  );
  const limiter = new SlidingWindowLimiter(redis, config.REDIS_KEY_PREFIX, limiterGuard, new LocalWindowLimiter(config.RATE_LIMIT_REPLICAS, clock));
  const loginAttempts = new LoginAttempts(limiter, config);
  const consents = new ConsentService(database.db, clock);
  const refreshTokens = new RefreshTokenService(
    database.db,
    deriveKey(config.KEY_ENCRYPTION_KEY, 'refresh-token-successor'),
    config.REFRESH_TOKEN_REUSE_GRACE_SECONDS,
    clock,
  );
  // Redis as a store (revocations, login interactions, the email queue) fails fast too, behind
  // guards of its own: an outage of one use must not open the circuit of another's connection.
  // Its deadline is its own and longer than the limiter's: a store has no fallback, and a 50 ms
  // deadline turned one late reply on a busy node into a second of 503s for every login.
  const storeGuard = new RedisGuard(
    redis,
    { timeoutMs: config.REDIS_STORE_TIMEOUT_MS, probeIntervalMs: 1_000, whileOpen: 'logins, revocation checks and introspection answer 503', onceClosed: 'logins and revocation checks resume' },
    clock,
    log,
  );
  const denylist = new AccessTokenDenylist(redis, config.REDIS_KEY_PREFIX, clock, storeGuard);
  const sessions = new SessionService(database.db, config.SESSION_TTL_SECONDS, clock, denylist);
  const codes = new AuthorizationCodeService(database.db, config.AUTHORIZATION_CODE_TTL_SECONDS, users, { refreshTokens, denylist }, clock);
  const idTokens = new IdTokenService(keys, clock);
  const accessTokenCheck = new AccessTokenValidator({ accessTokens, denylist, clients, users });
  const interactions = new InteractionStore(redis, config.REDIS_KEY_PREFIX, config.INTERACTION_TTL_SECONDS, storeGuard);

  // Accounts: every email goes through the outbox (a BullMQ queue the worker drains).
  const issuerOf = (name: string) => tenants.issuer(name);
  const csrfKey = deriveKey(config.KEY_ENCRYPTION_KEY, 'csrf');
  const queueConnection = createRedis(config.REDIS_URL, 'lanyard-api-queue');
  queueConnection.on('error', (error) => log.warn({ err: error }, 'redis connection error (email queue)'));
  const queueGuard = new RedisGuard(
    queueConnection,
    { timeoutMs: Math.max(config.REDIS_STORE_TIMEOUT_MS, 1_000), probeIntervalMs: 1_000, whileOpen: 'emails cannot be queued; requests that send one answer 503', onceClosed: 'emails are queued again' },
    clock,
    log,
  );
  const outbox = new EmailOutbox(queueConnection, config.REDIS_KEY_PREFIX, log, queueGuard);
  const mailer = new AccountMailer(outbox, limiter, config, clock, log);
  const actionTokens = new ActionTokenService(database.db, clock);
  const passwordChangedNotice = new PasswordChangedNotice(mailer, issuerOf);
  const secondFactors = new SecondFactors(
    database.db,
    new TotpService(database.db, new EnvelopeCipher(deriveKey(config.KEY_ENCRYPTION_KEY, 'totp-secret-encryption')), clock),
    new RecoveryCodeService(database.db, new SecretHasher(deriveKey(config.KEY_ENCRYPTION_KEY, 'recovery-code-pepper')), clock),
    new PasskeyService(database.db, relyingPartyOf(config.PUBLIC_URL), clock),
    { tenants, users },
    clock,
  );
  const emailVerification = new EmailVerification(database.db, actionTokens, users, mailer, issuerOf, config.EMAIL_VERIFICATION_TTL_SECONDS, clock);

  return {
    config,
    clock,
    log,
    database,
    redis,
    registry,
    metrics,
    bus,
    secretHasher,
    cipher,
    tenants,
    clients,
    users,
    passwords,
    keys,
    accessTokens,
    audit,
    limiter,
    loginAttempts,
    sessions,
    consents,
    codes,
    refreshTokens,
    idTokens,
    denylist,
    accessTokenCheck,
    interactions,
    csrfKey,
    formCsrf: new FormCsrf(csrfKey),
    issuerOf,
    outbox,
    mailer,
    actionTokens,
    knownBrowsers: new KnownBrowsers(database.db, clock),
    emailVerification,
    signup: new SignupService(database.db, users, passwords, emailVerification, mailer, issuerOf, clock),
    passwordReset: new PasswordReset(database.db, actionTokens, users, passwords, mailer, passwordChangedNotice, issuerOf, config.PASSWORD_RESET_TTL_SECONDS, clock),
    invitations: new Invitations(database.db, actionTokens, passwords, mailer, issuerOf, config.INVITATION_TTL_SECONDS, clock),
    emailChange: new EmailChange(database.db, actionTokens, users, mailer, issuerOf, config.EMAIL_CHANGE_TTL_SECONDS, clock),
    accountSettings: new AccountSettings(database.db, passwords, passwordChangedNotice, clock),
    secondFactors,
    pendingSignIns: new PendingSignIns(redis, config.REDIS_KEY_PREFIX, storeGuard),
    recoveryCodeView: new RecoveryCodeView(redis, config.REDIS_KEY_PREFIX, storeGuard),
    webauthnChallenges: new WebauthnChallenges(redis, config.REDIS_KEY_PREFIX, storeGuard),
    identityProviders: new IdentityProviderService(database.db, new EnvelopeCipher(deriveKey(config.KEY_ENCRYPTION_KEY, 'upstream-client-secret')), clock),
    upstreamClients: new UpstreamClients(clock),
    upstreamIdentities: new UpstreamIdentityService(database.db, clock),
    federationTransactions: new FederationTransactions(redis, config.REDIS_KEY_PREFIX, storeGuard),
    lifecycle: { shuttingDown: false },
    async close() {
      await audit.close();
      await outbox.close();
      subscriber.disconnect();
      await redis.quit().catch(() => redis.disconnect());
      await database.close();
    },
  };
}
