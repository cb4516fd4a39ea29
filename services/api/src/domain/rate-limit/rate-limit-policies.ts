import type { ApiConfig } from '@lanyard/config';
import type { Tenant } from '@lanyard/db';
import type { LimitPolicy } from './limit-policy.js';

export type RateLimitConfig = Pick<
  ApiConfig,
  | 'RATE_LIMIT_TOKEN_PER_MINUTE'
  | 'RATE_LIMIT_CLIENT_AUTH_FAILURES_PER_MINUTE'
  | 'RATE_LIMIT_NETWORK_AUTH_FAILURES_PER_MINUTE'
  | 'LOGIN_FAILURE_BURST'
  | 'LOGIN_LOCKOUT_FAILURES'
  | 'LOGIN_LOCKOUT_SECONDS'
  | 'LOGIN_ACCOUNT_LOCKOUT_FAILURES'
  | 'LOGIN_ACCOUNT_LOCKOUT_SECONDS'
  | 'RATE_LIMIT_INTERACTIONS_PER_MINUTE'
  | 'RATE_LIMIT_ACCOUNT_REQUESTS_PER_MINUTE'
  | 'RATE_LIMIT_EMAILS_PER_ADDRESS_PER_HOUR'
>;

/**
 * Every limit the API enforces, from configuration and the tenant's overrides
 * (docs/reference/rate-limits.md). Each is charged only for what its subject controls: a client's
 * budget after it authenticated, failures for failures, never a success.
 */
export function rateLimitPolicies(config: RateLimitConfig, tenant: Pick<Tenant, 'rateLimits'>) {
  const limits = tenant.rateLimits;
  return {
    /** Token requests of one authenticated client (a public client: per client and network). */
    token: { name: 'token', limit: limits.tokenPerMinute ?? config.RATE_LIMIT_TOKEN_PER_MINUTE, windowSeconds: 60 },
    /** Failed client authentications per (tenant, client, network). */
    clientAuthFailures: { name: 'client-auth-failures', limit: config.RATE_LIMIT_CLIENT_AUTH_FAILURES_PER_MINUTE, windowSeconds: 60 },
    /** Failed client authentications per network, whatever client they named. */
    networkAuthFailures: { name: 'network-auth-failures', limit: config.RATE_LIMIT_NETWORK_AUTH_FAILURES_PER_MINUTE, windowSeconds: 60 },
    /** Progressive delay: a few failed sign-ins per account and network per minute, then wait. */
    loginBurst: { name: 'login-burst', limit: config.LOGIN_FAILURE_BURST, windowSeconds: 60 },
    /** Lockout of one network from one account. */
    loginLockout: { name: 'login-lockout', limit: limits.loginLockoutFailures ?? config.LOGIN_LOCKOUT_FAILURES, windowSeconds: limits.loginLockoutSeconds ?? config.LOGIN_LOCKOUT_SECONDS },
    /** Account-wide lockout of password sign-in, at a much higher threshold. */
    loginAccount: { name: 'login-account', limit: limits.loginAccountLockoutFailures ?? config.LOGIN_ACCOUNT_LOCKOUT_FAILURES, windowSeconds: config.LOGIN_ACCOUNT_LOCKOUT_SECONDS },
    /** Sign-in interactions /authorize opens per network (each is held in Redis until it expires). */
    interactions: { name: 'interactions', limit: config.RATE_LIMIT_INTERACTIONS_PER_MINUTE, windowSeconds: 60 },
    /** Sign-up, forgot-password and resend requests per network: each may send an email. */
    accountRequests: { name: 'account-requests', limit: config.RATE_LIMIT_ACCOUNT_REQUESTS_PER_MINUTE, windowSeconds: 60 },
    /** Emails of one template to one address; over it the request still succeeds, silently unsent. */
    emailsPerAddress: { name: 'emails-per-address', limit: config.RATE_LIMIT_EMAILS_PER_ADDRESS_PER_HOUR, windowSeconds: 3_600 },
  } satisfies Record<string, LimitPolicy>;
}
