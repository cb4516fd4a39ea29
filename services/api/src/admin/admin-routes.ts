import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ClientParams,
  ClientResource,
  ClientSecretCreate,
  ClientSecretInfo,
  ClientSecretParams,
  ClientSpec,
  TenantParams,
  TenantResource,
  TenantSpec,
  UserCreate,
  UserList,
  UserListQuery,
  UserParams,
  UserPatch,
  UserResource,
  UsersParams,
  ConsentList,
  ConsentParams,
} from '@lanyard/contracts';
import { NotFoundProblem } from '@lanyard/errors';
import type { ClientService } from '../domain/clients/client-service.js';
import type { ConsentService } from '../domain/consents/consent-service.js';
import type { TenantService } from '../domain/tenants/tenant-service.js';
import type { UserService } from '../domain/users/user-service.js';
import { adminAuthenticator, type AdminAuthDeps } from './admin-auth.js';
import { presentClient, presentTenant, presentUser } from './present.js';

const problem = { $ref: 'Problem#' } as const;
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const security = [{ adminToken: ['lanyard:admin'] }];

export interface AdminRoutesDeps extends AdminAuthDeps {
  readonly tenants: Pick<TenantService, 'find' | 'require' | 'upsert' | 'delete' | 'issuer'>;
  readonly clients: Pick<ClientService, 'require' | 'upsert' | 'delete' | 'addSecret' | 'removeSecret'>;
  readonly users: Pick<UserService, 'create' | 'list' | 'get' | 'patch' | 'delete'>;
  readonly consents: Pick<ConsentService, 'list' | 'revoke'>;
}

/**
 * The admin API (docs/reference/admin-api.md): declarative, idempotent PUTs for tenants and clients,
 * CRUD for users. Every route has a schema for params, body and each response status, which also
 * feeds the OpenAPI document at /docs.
 */
export async function registerAdminRoutes(parent: FastifyInstance, deps: AdminRoutesDeps): Promise<void> {
  await parent.register(
    async (scope) => {
      const app = scope.withTypeProvider<TypeBoxTypeProvider>();
      app.addHook('onRequest', adminAuthenticator(deps));

      // --- tenants -------------------------------------------------------------------------
      app.put(
        '/tenants/:tenant',
        { schema: { tags: ['tenants'], summary: 'Create or update a tenant', security, params: TenantParams, body: TenantSpec, response: { 200: TenantResource, 201: TenantResource, ...errors } } },
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
        { schema: { tags: ['tenants'], summary: 'Delete a tenant and everything in it', security, params: TenantParams, response: { 204: Type.Null(), ...errors } } },
        async (request, reply) => {
          await deps.tenants.delete(request.params.tenant);
          request.log.info({ ...request.logFields, tenant: request.params.tenant }, 'tenant deleted');
          return reply.code(204).send(null);
        },
      );

      // --- clients -------------------------------------------------------------------------
      app.put(
        '/tenants/:tenant/clients/:clientId',
        { schema: { tags: ['clients'], summary: 'Create or update an OAuth client', security, params: ClientParams, body: ClientSpec, response: { 200: ClientResource, 201: ClientResource, ...errors } } },
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
        { schema: { tags: ['clients'], summary: 'Delete an OAuth client', security, params: ClientParams, response: { 204: Type.Null(), ...errors } } },
        async (request, reply) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          await deps.clients.delete(tenant, request.params.clientId);
          request.log.info({ ...request.logFields, tenant: tenant.name, clientId: request.params.clientId }, 'client deleted');
          return reply.code(204).send(null);
        },
      );
      app.post(
        '/tenants/:tenant/clients/:clientId/secrets',
        { schema: { tags: ['clients'], summary: 'Register a client secret (rotation)', security, params: ClientParams, body: ClientSecretCreate, response: { 200: ClientSecretInfo, 201: ClientSecretInfo, ...errors } } },
        async (request, reply) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          const { secret, created } = await deps.clients.addSecret(tenant, request.params.clientId, request.body);
          request.log.info({ ...request.logFields, tenant: tenant.name, clientId: request.params.clientId, secretId: secret.id, created }, 'client secret registered');
          return reply.code(created ? 201 : 200).send({ id: secret.id, createdAt: secret.createdAt.toISOString(), expiresAt: secret.expiresAt?.toISOString() ?? null });
        },
      );
      app.delete(
        '/tenants/:tenant/clients/:clientId/secrets/:secretId',
        { schema: { tags: ['clients'], summary: 'Remove a client secret', security, params: ClientSecretParams, response: { 204: Type.Null(), ...errors } } },
        async (request, reply) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          await deps.clients.removeSecret(tenant, request.params.clientId, request.params.secretId);
          request.log.info({ ...request.logFields, tenant: tenant.name, clientId: request.params.clientId, secretId: request.params.secretId }, 'client secret removed');
          return reply.code(204).send(null);
        },
      );

      // --- users ---------------------------------------------------------------------------
      app.post(
        '/tenants/:tenant/users',
        { schema: { tags: ['users'], summary: 'Create a user', security, params: UsersParams, body: UserCreate, response: { 201: UserResource, ...errors } } },
        async (request, reply) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          const user = await deps.users.create(tenant, request.body);
          request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id }, 'user created');
          return reply.code(201).header('location', `/admin/v1/tenants/${tenant.name}/users/${user.id}`).send(presentUser(tenant, user));
        },
      );
      app.get(
        '/tenants/:tenant/users',
        { schema: { tags: ['users'], summary: 'List users (paged)', security, params: UsersParams, querystring: UserListQuery, response: { 200: UserList, ...errors } } },
        async (request) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          const page = await deps.users.list(tenant, request.query);
          return { items: page.items.map((u) => presentUser(tenant, u)), nextCursor: page.nextCursor };
        },
      );
      app.get(
        '/tenants/:tenant/users/:userId',
        { schema: { tags: ['users'], summary: 'Read a user', security, params: UserParams, response: { 200: UserResource, ...errors } } },
        async (request) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          return presentUser(tenant, await deps.users.get(tenant, request.params.userId));
        },
      );
      app.patch(
        '/tenants/:tenant/users/:userId',
        { schema: { tags: ['users'], summary: 'Update a user (disabling or a new password revokes sessions and refresh tokens)', security, params: UserParams, body: UserPatch, response: { 200: UserResource, ...errors } } },
        async (request) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          const user = await deps.users.patch(tenant, request.params.userId, request.body);
          request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id, fields: Object.keys(request.body) }, 'user updated');
          return presentUser(tenant, user);
        },
      );
      app.delete(
        '/tenants/:tenant/users/:userId',
        { schema: { tags: ['users'], summary: 'Delete a user', security, params: UserParams, response: { 204: Type.Null(), ...errors } } },
        async (request, reply) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          await deps.users.delete(tenant, request.params.userId);
          request.log.info({ ...request.logFields, tenant: tenant.name, userId: request.params.userId }, 'user deleted');
          return reply.code(204).send(null);
        },
      );

      // --- consents ------------------------------------------------------------------------
      app.get(
        '/tenants/:tenant/users/:userId/consents',
        { schema: { tags: ['users'], summary: 'List the clients a user consented to', security, params: UserParams, response: { 200: ConsentList, ...errors } } },
        async (request) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          const user = await deps.users.get(tenant, request.params.userId);
          const items = await deps.consents.list(user.id);
          return { items: items.map((c) => ({ ...c, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() })) };
        },
      );
      app.delete(
        '/tenants/:tenant/users/:userId/consents/:clientId',
        { schema: { tags: ['users'], summary: 'Revoke a consent (and the refresh tokens it allowed)', security, params: ConsentParams, response: { 204: Type.Null(), ...errors } } },
        async (request, reply) => {
          const tenant = await deps.tenants.require(request.params.tenant);
          const user = await deps.users.get(tenant, request.params.userId);
          const client = await deps.clients.require(tenant, request.params.clientId);
          if (!(await deps.consents.revoke(user.id, client.id))) throw new NotFoundProblem('No consent to revoke.');
          request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id, clientId: client.clientId }, 'consent revoked');
          return reply.code(204).send(null);
        },
      );
    },
    { prefix: '/admin/v1' },
  );
}
