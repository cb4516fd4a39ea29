import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ClientList, ClientListQuery, ClientParams, ClientResource, ClientSecretCreate, ClientSecretInfo, ClientSecretParams, ClientSpec, TenantParams } from '@lanyard/contracts';
import type { ClientService } from '../domain/clients/client-service.js';
import type { TenantService } from '../domain/tenants/tenant-service.js';
import { presentClient } from './present.js';
import { bodyErrors, errors, security } from './responses.js';

export interface ClientRoutesDeps {
  readonly tenants: Pick<TenantService, 'require'>;
  readonly clients: Pick<ClientService, 'list' | 'require' | 'upsert' | 'delete' | 'addSecret' | 'removeSecret'>;
}

/**
 * OAuth clients of a tenant (docs/reference/admin-api.md#clients): the paged list, a declarative
 * PUT, GET, DELETE, and secret rotation. Only the PUT that generated a secret ever returns one.
 */
export function registerClientRoutes(scope: FastifyInstance, deps: ClientRoutesDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/tenants/:tenant/clients',
    { schema: { tags: ['clients'], summary: 'List a tenant’s OAuth clients (paged, by client id)', security, params: TenantParams, querystring: ClientListQuery, response: { 200: ClientList, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const page = await deps.clients.list(tenant, request.query);
      return { items: page.items.map((c) => presentClient(tenant, c)), nextCursor: page.nextCursor };
    },
  );
  app.put(
    '/tenants/:tenant/clients/:clientId',
    { schema: { tags: ['clients'], summary: 'Create or update an OAuth client', security, params: ClientParams, body: ClientSpec, response: { 200: ClientResource, 201: ClientResource, ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const result = await deps.clients.upsert(tenant, request.params.clientId, request.body);
      request.log.info({ ...request.logFields, tenant: tenant.name, clientId: request.params.clientId, created: result.created }, 'client applied');
      return reply
        .code(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(presentClient(tenant, result.client, result.generatedSecret));
    },
  );
  app.get(
    '/tenants/:tenant/clients/:clientId',
    { schema: { tags: ['clients'], summary: 'Read an OAuth client', security, params: ClientParams, response: { 200: ClientResource, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      return presentClient(tenant, await deps.clients.require(tenant, request.params.clientId));
    },
  );
  app.delete(
    '/tenants/:tenant/clients/:clientId',
    { schema: { tags: ['clients'], summary: 'Delete an OAuth client', security, params: ClientParams, response: { 204: Type.Null(), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      await deps.clients.delete(tenant, request.params.clientId);
      request.log.info({ ...request.logFields, tenant: tenant.name, clientId: request.params.clientId }, 'client deleted');
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/tenants/:tenant/clients/:clientId/secrets',
    { schema: { tags: ['clients'], summary: 'Register a client secret (rotation)', security, params: ClientParams, body: ClientSecretCreate, response: { 200: ClientSecretInfo, 201: ClientSecretInfo, ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const { secret, created } = await deps.clients.addSecret(tenant, request.params.clientId, request.body);
      request.log.info({ ...request.logFields, tenant: tenant.name, clientId: request.params.clientId, secretId: secret.id, created }, 'client secret registered');
      return reply.code(created ? 201 : 200).send({ id: secret.id, createdAt: secret.createdAt.toISOString(), expiresAt: secret.expiresAt?.toISOString() ?? null });
    },
  );
  app.delete(
    '/tenants/:tenant/clients/:clientId/secrets/:secretId',
    { schema: { tags: ['clients'], summary: 'Remove a client secret', security, params: ClientSecretParams, response: { 204: Type.Null(), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      await deps.clients.removeSecret(tenant, request.params.clientId, request.params.secretId);
      request.log.info({ ...request.logFields, tenant: tenant.name, clientId: request.params.clientId, secretId: request.params.secretId }, 'client secret removed');
      return reply.code(204).send(null);
    },
  );
}
