import { Type, type Static } from '@sinclair/typebox';
import { TenantName, Text, Timestamp } from './common.js';

export const TenantParams = Type.Object({ tenant: TenantName });

export const TenantSpec = Type.Object(
  {
    displayName: Text({ minLength: 1, maxLength: 200 }),
    managedBy: Type.Optional(Type.Union([Text({ minLength: 1, maxLength: 100 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const TenantResource = Type.Object({
  name: TenantName,
  displayName: Type.String(),
  managedBy: Type.Union([Type.String(), Type.Null()]),
  /** `{PUBLIC_URL}/tenants/{name}` */
  issuer: Type.String({ format: 'uri' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export type TenantSpec = Static<typeof TenantSpec>;
export type TenantResource = Static<typeof TenantResource>;
