import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { IdentityProvider, Tenant } from '@lanyard/db';
import { IdentityProviderList, IdentityProviderParams, IdentityProviderResource, IdentityProviderSpec, IdentityProvidersParams } from '@lanyard/contracts';
import type { IdentityProviderService } from '../domain/federation/identity-provider-service.js';
import type { TenantService } from '../domain/tenants/tenant-service.js';
import { bodyErrors, errors, security } from './responses.js';

export interface IdentityProviderRoutesDeps {
  readonly tenants: Pick<TenantService, 'require' | 'issuer'>;
  readonly identityProviders: Pick<IdentityProviderService, 'upsert' | 'require' | 'list' | 'delete'>;
}

/**
 * A tenant's upstream identity providers (docs/reference/admin-api.md#identity-providers):
 * declarative PUTs; the client secret is write-only and only its fingerprint comes back.
 */
export function registerIdentityProviderRoutes(parent: FastifyInstance, deps: IdentityProviderRoutesDeps): void {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const present = (tenant: Tenant, p: IdentityProvider) => ({
    tenant: tenant.name,
    name: p.name,
    displayName: p.displayName,
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecretFingerprint: p.clientSecretFingerprint,
    scopes: p.scopes,
    claims: p.claims,
    linking: p.linking,
    disabled: p.disabled,
    callbackUrl: `${deps.tenants.issuer(tenant.name)}/federation/${p.name}/callback`,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  });

  app.put(
    '/tenants/:tenant/identity-providers/:provider',
    { schema: { tags: ['identity-providers'], summary: 'Create or update an upstream OpenID Connect provider', security, params: IdentityProviderParams, body: IdentityProviderSpec, response: { 200: IdentityProviderResource, 201: IdentityProviderResource, ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const { provider, created } = await deps.identityProviders.upsert(tenant, request.params.provider, request.body);
      request.log.info({ ...request.logFields, tenant: tenant.name, provider: provider.name, created }, 'identity provider applied');
      return reply.code(created ? 201 : 200).send(present(tenant, provider));
    },
  );
  app.get(
    '/tenants/:tenant/identity-providers/:provider',
    { schema: { tags: ['identity-providers'], summary: 'Read an upstream provider', security, params: IdentityProviderParams, response: { 200: IdentityProviderResource, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      return present(tenant, await deps.identityProviders.require(tenant, request.params.provider));
    },
  );
  app.get(
    '/tenants/:tenant/identity-providers',
    { schema: { tags: ['identity-providers'], summary: 'List a tenant’s upstream providers (at most a few dozen; not paged)', security, params: IdentityProvidersParams, response: { 200: IdentityProviderList, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      return { items: (await deps.identityProviders.list(tenant.id)).map((p) => present(tenant, p)) };
    },
  );
  app.delete(
    '/tenants/:tenant/identity-providers/:provider',
    { schema: { tags: ['identity-providers'], summary: 'Delete an upstream provider and every account link to it', security, params: IdentityProviderParams, response: { 204: Type.Null(), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      await deps.identityProviders.delete(tenant, request.params.provider);
      request.log.info({ ...request.logFields, tenant: tenant.name, provider: request.params.provider }, 'identity provider deleted');
      return reply.code(204).send(null);
    },
  );
}
