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

export const TenantSpec = Type.Object(
  {
    displayName: Text({ minLength: 1, maxLength: 200 }),
    managedBy: Type.Optional(Type.Union([Text({ minLength: 1, maxLength: 100 }), Type.Null()])),
    rateLimits: Type.Optional(TenantRateLimits),
  },
  { additionalProperties: false },
);

export const TenantResource = Type.Object({
  name: TenantName,
  displayName: Type.String(),
  managedBy: Type.Union([Type.String(), Type.Null()]),
  rateLimits: TenantRateLimits,
  /** `{PUBLIC_URL}/tenants/{name}` */
  issuer: Type.String({ format: 'uri' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export type TenantSpec = Static<typeof TenantSpec>;
export type TenantResource = Static<typeof TenantResource>;
