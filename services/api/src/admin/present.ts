import type { Tenant, User } from '@lanyard/db';
import type { ClientResource, TenantResource, UserResource } from '@lanyard/contracts';
import type { RegisteredClient } from '../domain/clients/client-service.js';

/** Database rows → admin API resources. Hashes and key material never leave through here. */
export const presentTenant = (tenant: Tenant, issuer: string): TenantResource => ({
  name: tenant.name,
  displayName: tenant.displayName,
  managedBy: tenant.managedBy,
  rateLimits: tenant.rateLimits,
  accounts: tenant.accounts,
  mfa: tenant.mfa,
  issuer,
  createdAt: tenant.createdAt.toISOString(),
  updatedAt: tenant.updatedAt.toISOString(),
});

export const presentClient = (tenant: Tenant, client: RegisteredClient, generatedSecret?: string): ClientResource => ({
  tenant: tenant.name,
  clientId: client.clientId,
  type: client.type,
  displayName: client.displayName,
  grantTypes: client.grantTypes as ClientResource['grantTypes'],
  redirectUris: client.redirectUris,
  postLogoutRedirectUris: client.postLogoutRedirectUris,
  allowedCorsOrigins: client.allowedCorsOrigins,
  scopes: client.scopes,
  audience: client.audience,
  tokenLifetimes: client.tokenLifetimes,
  firstParty: client.firstParty,
  disabled: client.disabled,
  tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
  pkce: client.pkce,
  idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
  accessTokenSigningAlg: client.accessTokenSigningAlg,
  idTokenScopeClaims: client.idTokenScopeClaims,
  requireMfa: client.requireMfa,
  secrets: client.secrets.map((s) => ({ id: s.id, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt?.toISOString() ?? null })),
  ...(generatedSecret === undefined ? {} : { clientSecret: generatedSecret }),
  createdAt: client.createdAt.toISOString(),
  updatedAt: client.updatedAt.toISOString(),
});

export const presentUser = (tenant: Tenant, user: User): UserResource => ({
  id: user.id,
  tenant: tenant.name,
  email: user.email,
  emailVerified: user.emailVerified,
  name: user.name,
  givenName: user.givenName,
  familyName: user.familyName,
  middleName: user.middleName,
  nickname: user.nickname,
  preferredUsername: user.preferredUsername,
  profile: user.profile,
  picture: user.picture,
  website: user.website,
  gender: user.gender,
  birthdate: user.birthdate,
  zoneinfo: user.zoneinfo,
  locale: user.locale,
  phoneNumber: user.phoneNumber,
  phoneNumberVerified: user.phoneNumberVerified,
  address: user.address,
  disabled: user.disabled,
  hasPassword: user.passwordHash !== null,
  createdAt: user.createdAt.toISOString(),
  updatedAt: user.updatedAt.toISOString(),
});
