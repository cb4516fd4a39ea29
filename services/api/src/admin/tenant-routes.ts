import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TenantList, TenantListQuery, TenantParams, TenantResource, TenantSpec } from '@lanyard/contracts';
import type { TenantService } from '../domain/tenants/tenant-service.js';
import { presentTenant } from './present.js';
import { bodyErrors, errors, security } from './responses.js';

export interface TenantRoutesDeps {
  readonly tenants: Pick<TenantService, 'list' | 'require' | 'upsert' | 'delete' | 'issuer'>;
}

/** Tenants (docs/reference/admin-api.md#tenants): the paged list, and a declarative PUT, GET and DELETE. */
export function registerTenantRoutes(scope: FastifyInstance, deps: TenantRoutesDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/tenants',
    { schema: { tags: ['tenants'], summary: 'List tenants (paged, by name)', security, querystring: TenantListQuery, response: { 200: TenantList, ...errors } } },
    async (request) => {
      const page = await deps.tenants.list(request.query);
      return { items: page.items.map((t) => presentTenant(t, deps.tenants.issuer(t.name))), nextCursor: page.nextCursor };
    },
  );
  app.put(
    '/tenants/:tenant',
    { schema: { tags: ['tenants'], summary: 'Create or update a tenant', security, params: TenantParams, body: TenantSpec, response: { 200: TenantResource, 201: TenantResource, ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const { tenant, created } = await deps.tenants.upsert(request.params.tenant, request.body);
      request.log.info({ ...request.logFields, tenant: tenant.name, created }, 'tenant applied');
      return reply.code(created ? 201 : 200).send(presentTenant(tenant, deps.tenants.issuer(tenant.name)));
    },
  );
  app.get(
    '/tenants/:tenant',
    { schema: { tags: ['tenants'], summary: 'Read a tenant', security, params: TenantParams, response: { 200: TenantResource, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      return presentTenant(tenant, deps.tenants.issuer(tenant.name));
    },
  );
  app.delete(
    '/tenants/:tenant',
    { schema: { tags: ['tenants'], summary: 'Delete a tenant and everything in it', security, params: TenantParams, response: { 204: Type.Null(), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      await deps.tenants.delete(request.params.tenant);
      request.log.info({ ...request.logFields, tenant: request.params.tenant }, 'tenant deleted');
      return reply.code(204).send(null);
    },
  );
}
