import { Type, type Static } from '@sinclair/typebox';
import { TenantName, Text, Timestamp } from './common.js';

export const TenantParams = Type.Object({ tenant: TenantName });

/** Per-tenant overrides of the server's rate limits; an absent field keeps the server default. */
export const TenantRateLimits = Type.Object(
  {
    tokenPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Token requests per minute per authenticated client (RATE_LIMIT_TOKEN_PER_MINUTE).' })),
    loginLockoutFailures: Type.Optional(Type.Integer({ minimum: 2, maximum: 10_000, description: 'Failed sign-ins per account and IP network before that network is locked out (LOGIN_LOCKOUT_FAILURES).' })),
    loginLockoutSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 86_400, description: 'How long that lockout lasts (LOGIN_LOCKOUT_SECONDS).' })),
    loginAccountLockoutFailures: Type.Optional(
      Type.Integer({ minimum: 10, maximum: 1_000_000, description: 'Failed sign-ins per account from all networks before password sign-in locks account-wide (LOGIN_ACCOUNT_LOCKOUT_FAILURES).' }),
    ),
  },
  { additionalProperties: false, default: {} },
);

/** Who may create an account at this issuer (docs/reference/accounts.md). */
export const SignupPolicy = Type.Union([Type.Literal('open'), Type.Literal('invite-only'), Type.Literal('closed')], {
  description: '`open`: anyone may sign up; `invite-only`: only through an invitation; `closed`: accounts are created by admins only.',
});

/**
 * Self-service account policy. Every field is optional; an absent one takes the documented default
 * (sign-up `closed`, verified email required, passwords of at least 12 characters).
 */
export const TenantAccounts = Type.Object(
  {
    signup: Type.Optional(SignupPolicy),
    requireVerifiedEmail: Type.Optional(Type.Boolean({ description: 'Password sign-in needs a verified email address (default true).' })),
    passwordMinLength: Type.Optional(Type.Integer({ minimum: 8, maximum: 128, description: 'Minimum password length in characters (default 12; NIST SP 800-63B asks for at least 8).' })),
    emailFromName: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Sender display name of this tenant\'s emails (default: the tenant display name).' })),
    emailFromAddress: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'Sender address of this tenant\'s emails (default: the worker\'s SMTP_FROM).' })),
  },
  { additionalProperties: false, default: {} },
);

/** Whether users of this issuer must use a second factor (docs/reference/mfa.md). */
export const MfaPolicy = Type.Union([Type.Literal('optional'), Type.Literal('required')], {
  description: '`optional`: users may enrol a second factor on their account page; `required`: every user must, after a grace period.',
});

/** Second-factor policy. Every field is optional: policy `optional`, a grace period of 7 days. */
export const TenantMfa = Type.Object(
  {
    policy: Type.Optional(MfaPolicy),
    enrolmentGraceDays: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 90, description: 'Under `required`: days from a user\'s first sign-in under the policy until they must enrol before signing in (default 7; 0 forces enrolment at once).' }),
    ),
  },
  { additionalProperties: false, default: {} },
);

export const TenantSpec = Type.Object(
  {
    displayName: Text({ minLength: 1, maxLength: 200 }),
    managedBy: Type.Optional(Type.Union([Text({ minLength: 1, maxLength: 100 }), Type.Null()])),
    rateLimits: Type.Optional(TenantRateLimits),
    accounts: Type.Optional(TenantAccounts),
    mfa: Type.Optional(TenantMfa),
  },
  { additionalProperties: false },
);

export const TenantResource = Type.Object({
  name: TenantName,
  displayName: Type.String(),
  managedBy: Type.Union([Type.String(), Type.Null()]),
  rateLimits: TenantRateLimits,
  /** The policy as set; defaults are not filled in, so a GET round-trips into a PUT. */
  accounts: TenantAccounts,
  /** As set, like `accounts`. */
  mfa: TenantMfa,
  /** `{PUBLIC_URL}/tenants/{name}` */
  issuer: Type.String({ format: 'uri' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export type TenantSpec = Static<typeof TenantSpec>;
export type TenantAccounts = Static<typeof TenantAccounts>;
export type TenantMfa = Static<typeof TenantMfa>;
export type MfaPolicy = Static<typeof MfaPolicy>;
export type SignupPolicy = Static<typeof SignupPolicy>;
export type TenantResource = Static<typeof TenantResource>;
