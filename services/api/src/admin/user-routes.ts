import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Session } from '@lanyard/db';
import {
  ConsentList,
  ConsentParams,
  SessionList,
  SessionListQuery,
  SessionParams,
  UserCreate,
  UserList,
  UserListQuery,
  UserParams,
  UserPatch,
  UserResource,
  UsersParams,
  type SessionResource,
} from '@lanyard/contracts';
import { NotFoundProblem } from '@lanyard/errors';
import type { ClientService } from '../domain/clients/client-service.js';
import type { ConsentService } from '../domain/consents/consent-service.js';
import type { SessionService } from '../domain/sessions/session-service.js';
import type { TenantService } from '../domain/tenants/tenant-service.js';
import type { UserService } from '../domain/users/user-service.js';
import { presentUser } from './present.js';
import { bodyErrors, errors, json, location, security } from './responses.js';

export interface UserRoutesDeps {
  readonly tenants: Pick<TenantService, 'require'>;
  readonly clients: Pick<ClientService, 'require'>;
  readonly users: Pick<UserService, 'create' | 'list' | 'get' | 'patch' | 'delete'>;
  readonly consents: Pick<ConsentService, 'list' | 'revoke'>;
  readonly sessions: Pick<SessionService, 'listActivePage' | 'revokeForUser'>;
}

/**
 * Users of a tenant (docs/reference/admin-api.md#users), with what hangs off them: the consents they
 * gave and their live browser sessions. Ending a session also revokes its refresh tokens.
 */
export function registerUserRoutes(scope: FastifyInstance, deps: UserRoutesDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  // --- users -----------------------------------------------------------------------------
  app.post(
    '/tenants/:tenant/users',
    { schema: { tags: ['users'], summary: 'Create a user', security, params: UsersParams, body: UserCreate, response: { 201: json('The user created.', UserResource, location('The new user.')), ...errors, ...bodyErrors } } },
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
    { schema: { tags: ['users'], summary: 'Update a user (disabling or a new password revokes sessions and refresh tokens)', security, params: UserParams, body: UserPatch, response: { 200: UserResource, ...errors, ...bodyErrors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.patch(tenant, request.params.userId, request.body);
      request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id, fields: Object.keys(request.body) }, 'user updated');
      return presentUser(tenant, user);
    },
  );
  app.delete(
    '/tenants/:tenant/users/:userId',
    { schema: { tags: ['users'], summary: 'Delete a user', security, params: UserParams, response: { 204: Type.Null(), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      await deps.users.delete(tenant, request.params.userId);
      request.log.info({ ...request.logFields, tenant: tenant.name, userId: request.params.userId }, 'user deleted');
      return reply.code(204).send(null);
    },
  );

  // --- consents --------------------------------------------------------------------------
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
    { schema: { tags: ['users'], summary: 'Revoke a consent (and the refresh tokens it allowed)', security, params: ConsentParams, response: { 204: Type.Null(), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      const client = await deps.clients.require(tenant, request.params.clientId);
      if (!(await deps.consents.revoke(user.id, client.id))) throw new NotFoundProblem('No consent to revoke.');
      request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id, clientId: client.clientId }, 'consent revoked');
      return reply.code(204).send(null);
    },
  );

  // --- sessions --------------------------------------------------------------------------
  app.get(
    '/tenants/:tenant/users/:userId/sessions',
    { schema: { tags: ['users'], summary: 'List a user’s active browser sessions (not revoked, not expired; paged, newest first)', security, params: UserParams, querystring: SessionListQuery, response: { 200: SessionList, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      const page = await deps.sessions.listActivePage(user.id, request.query);
      return { items: page.items.map(presentSession), nextCursor: page.nextCursor };
    },
  );
  app.delete(
    '/tenants/:tenant/users/:userId/sessions/:sessionId',
    { schema: { tags: ['users'], summary: 'End one session and revoke the refresh and access tokens issued in it', security, params: SessionParams, response: { 204: Type.Null(), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      const ended = await deps.sessions.revokeForUser(user.id, request.params.sessionId);
      if (ended.length === 0) throw new NotFoundProblem(`Session "${request.params.sessionId}" is not an active session of this user.`);
      request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id, sessionId: request.params.sessionId }, 'session revoked');
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/tenants/:tenant/users/:userId/sessions',
    { schema: { tags: ['users'], summary: 'End all of a user’s sessions and revoke the refresh and access tokens issued in them', security, params: UserParams, response: { 204: Type.Null(), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      const ended = await deps.sessions.revokeForUser(user.id);
      request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id, sessions: ended.length }, 'sessions revoked');
      return reply.code(204).send(null);
    },
  );
}

/** A session row → its admin resource; the cookie's hash never leaves. */
const presentSession = (session: Session): SessionResource => ({
  id: session.id,
  createdAt: session.createdAt.toISOString(),
  authTime: session.authTime.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  amr: session.amr,
  userAgent: session.userAgent,
  ipNetwork: session.ipNetwork,
});
