import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { InvitationCreate, InvitationResource, UserParams, UsersParams, VerificationEmailResource } from '@lanyard/contracts';
import { ConflictProblem } from '@lanyard/errors';
import type { EmailVerification } from '../domain/accounts/email-verification-service.js';
import type { Invitations } from '../domain/accounts/invitation-service.js';
import type { TenantService } from '../domain/tenants/tenant-service.js';
import type { UserService } from '../domain/users/user-service.js';
import { bodyErrors, errors, json, location, security } from './responses.js';

export interface AccountEmailRoutesDeps {
  readonly tenants: Pick<TenantService, 'require'>;
  readonly users: Pick<UserService, 'get'>;
  readonly invitations: Pick<Invitations, 'invite'>;
  readonly emailVerification: Pick<EmailVerification, 'send'>;
}

/**
 * Emails an admin sends on a user's behalf (docs/reference/admin-api.md#account-emails): an
 * invitation, which creates the password-less account it invites to, and a new verification link.
 * Both only queue the email; delivery is the worker's.
 */
export function registerAccountEmailRoutes(scope: FastifyInstance, deps: AccountEmailRoutesDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/tenants/:tenant/invitations',
    { schema: { tags: ['users'], summary: 'Invite someone: creates their account without a password and emails the link to choose one', security, params: UsersParams, body: InvitationCreate, response: { 201: json('The invitation sent.', InvitationResource, location('The invited user.')), ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const { user, expiresAt, created } = await deps.invitations.invite(tenant, request.body);
      request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id, created }, 'invitation sent');
      return reply
        .code(201)
        .header('location', `/admin/v1/tenants/${tenant.name}/users/${user.id}`)
        .send({ tenant: tenant.name, userId: user.id, email: user.email, created, expiresAt: expiresAt.toISOString() });
    },
  );

  app.post(
    '/tenants/:tenant/users/:userId/verification-email',
    { schema: { tags: ['users'], summary: 'Email the user a new address-verification link', security, params: UserParams, response: { 202: VerificationEmailResource, ...errors, ...bodyErrors } } },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      if (user.emailVerified) throw new ConflictProblem(`The address of user "${user.id}" is already verified.`);
      if (user.disabled) throw new ConflictProblem(`User "${user.id}" is disabled.`);
      const queued = await deps.emailVerification.send(tenant, user);
      request.log.info({ ...request.logFields, tenant: tenant.name, userId: user.id, queued }, 'verification email requested');
      return reply.code(202).send({ userId: user.id, email: user.email, queued });
    },
  );
}
