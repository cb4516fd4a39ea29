import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { UpstreamIdentity } from '@lanyard/db';
import { IdentityLinkList, IdentityLinkParams, IdentityLinkResource, IdentityLinkSpec, IdentityLinksParams } from '@lanyard/contracts';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '@lanyard/errors';
import type { AuditLog } from '../domain/audit/audit-log.js';
import type { IdentityProviderService } from '../domain/federation/identity-provider-service.js';
import { isUsableSubject, type UpstreamIdentityService } from '../domain/federation/upstream-identity-service.js';
import type { TenantService } from '../domain/tenants/tenant-service.js';
import type { UserService } from '../domain/users/user-service.js';
import { bodyErrors, errors, security } from './responses.js';

export interface IdentityLinkRoutesDeps {
  readonly tenants: Pick<TenantService, 'require'>;
  readonly users: Pick<UserService, 'get'>;
  readonly identityProviders: Pick<IdentityProviderService, 'require' | 'list'>;
  readonly upstreamIdentities: Pick<UpstreamIdentityService, 'linkedTo' | 'link' | 'removeLink'>;
  readonly audit: Pick<AuditLog, 'recordAdminAction'>;
}

/**
 * A user's identities at the tenant's upstream providers (docs/reference/admin-api.md#identity-links):
 * list and read them, link one ahead of the person's first federated sign-in (a migration, or a provider
 * whose rule is `existing-only`), and cut one off. Linking and unlinking are audit events.
 */
export function registerIdentityLinkRoutes(parent: FastifyInstance, deps: IdentityLinkRoutesDeps): void {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const present = (provider: string, link: Pick<UpstreamIdentity, 'subject' | 'createdAt' | 'lastSignInAt'>) => ({
    provider,
    subject: link.subject,
    createdAt: link.createdAt.toISOString(),
    lastSignInAt: link.lastSignInAt?.toISOString() ?? null,
  });

  app.get(
    '/tenants/:tenant/users/:userId/identity-links',
    { schema: { tags: ['users'], summary: 'List a user’s identities at upstream providers, oldest first', security, params: IdentityLinksParams, response: { 200: IdentityLinkList, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      const names = new Map((await deps.identityProviders.list(tenant.id)).map((p) => [p.id, p.name]));
      const links = await deps.upstreamIdentities.linkedTo(user.id);
      // A link always has its provider (the foreign key cascades); the filter only keeps the types honest.
      return { items: links.flatMap((l) => (names.has(l.providerId) ? [present(names.get(l.providerId)!, l)] : [])) };
    },
  );

  app.get(
    '/tenants/:tenant/users/:userId/identity-links/:provider',
    { schema: { tags: ['users'], summary: 'Read a user’s identity at one upstream provider', security, params: IdentityLinkParams, response: { 200: IdentityLinkResource, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      const provider = await deps.identityProviders.require(tenant, request.params.provider);
      const link = (await deps.upstreamIdentities.linkedTo(user.id)).find((l) => l.providerId === provider.id);
      if (link === undefined) throw new NotFoundProblem(`The user is not linked to "${provider.name}".`);
      return present(provider.name, link);
    },
  );

  app.put(
    '/tenants/:tenant/users/:userId/identity-links/:provider',
    {
      schema: {
        tags: ['users'],
        summary: 'Link a user to their subject at an upstream provider: signing in there signs in as this user, whatever the provider’s linking rule',
        security,
        params: IdentityLinkParams,
        body: IdentityLinkSpec,
        response: { 200: IdentityLinkResource, 201: IdentityLinkResource, ...errors, ...bodyErrors },
      },
    },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      const provider = await deps.identityProviders.require(tenant, request.params.provider);
      const { subject } = request.body;
      // The schema counts code points; sign-in counts UTF-16 units and refuses lone surrogates.
      if (!isUsableSubject(subject)) throw new ValidationProblem('body/subject: not a subject a sign-in could present', [{ name: 'body/subject', reason: 'at most 255 UTF-16 code units, without control characters or lone surrogates' }]);
      const outcome = await deps.upstreamIdentities.link(user.id, provider.id, subject);
      if (!outcome.ok) {
        throw new ConflictProblem(
          outcome.reason === 'subject_taken'
            ? `That subject at "${provider.name}" is linked to another user of tenant "${tenant.name}"; unlink it there first.`
            : `The user is already linked to "${provider.name}" as another subject; unlink that one first.`,
        );
      }
      if (outcome.created) {
        deps.audit.recordAdminAction({ tenant: tenant.name, action: 'identity_linked', clientId: request.adminClientId ?? null, userId: user.id, ip: request.ip, requestId: request.id });
        request.log.info({ ...request.logFields, event: 'identity_linked', tenant: tenant.name, userId: user.id, provider: provider.name }, 'upstream identity linked by an admin');
      }
      return reply.code(outcome.created ? 201 : 200).send(present(provider.name, outcome.link));
    },
  );

  app.delete(
    '/tenants/:tenant/users/:userId/identity-links/:provider',
    {
      schema: {
        tags: ['users'],
        summary: 'Unlink a user from an upstream provider: signing in there no longer signs in as this user (even when it was their only way in)',
        security,
        params: IdentityLinkParams,
        response: { 204: Type.Null(), ...errors, ...bodyErrors },
      },
    },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      const provider = await deps.identityProviders.require(tenant, request.params.provider);
      if (!(await deps.upstreamIdentities.removeLink(user.id, provider.id))) throw new NotFoundProblem(`The user is not linked to "${provider.name}".`);
      deps.audit.recordAdminAction({ tenant: tenant.name, action: 'identity_unlinked', clientId: request.adminClientId ?? null, userId: user.id, ip: request.ip, requestId: request.id });
      request.log.info({ ...request.logFields, event: 'identity_unlinked', tenant: tenant.name, userId: user.id, provider: provider.name }, 'upstream identity unlinked by an admin');
      return reply.code(204).send(null);
    },
  );
}
