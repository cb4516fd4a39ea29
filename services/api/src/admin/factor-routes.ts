import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { FactorList, UserParams, type FactorResource } from '@lanyard/contracts';
import { accountLink } from '../domain/accounts/account-links.js';
import type { AuditLog } from '../domain/audit/audit-log.js';
import type { AccountMailer } from '../domain/accounts/account-mailer.js';
import type { SecondFactors } from '../domain/mfa/second-factors.js';
import type { TenantService } from '../domain/tenants/tenant-service.js';
import type { UserService } from '../domain/users/user-service.js';
import { bodyErrors, errors, security } from './responses.js';

export interface FactorRoutesDeps {
  readonly tenants: Pick<TenantService, 'require' | 'issuer'>;
  readonly users: Pick<UserService, 'get'>;
  readonly secondFactors: Pick<SecondFactors, 'overview' | 'removeAll'>;
  readonly mailer: Pick<AccountMailer, 'notify' | 'now'>;
  readonly audit: Pick<AuditLog, 'recordAdminAction'>;
}

/**
 * A user's second factors (docs/reference/admin-api.md#second-factors): what they have, never a
 * secret; and the reset for a user who lost their phone and their recovery codes. A reset is an
 * audit event (`mfa_reset`, with the admin client that made it), and the user is mailed.
 */
export function registerFactorRoutes(parent: FastifyInstance, deps: FactorRoutesDeps): void {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/tenants/:tenant/users/:userId/factors',
    { schema: { tags: ['users'], summary: 'List a user’s second factors (kinds and dates; secrets never leave the server)', security, params: UserParams, response: { 200: FactorList, ...errors } } },
    async (request) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const overview = await deps.secondFactors.overview(await deps.users.get(tenant, request.params.userId));
      const items: FactorResource[] = [];
      if (overview.totp !== undefined) items.push({ kind: 'totp', createdAt: overview.totp.createdAt.toISOString(), lastUsedAt: overview.totp.lastUsedAt?.toISOString() ?? null });
      if (overview.recoveryCodes !== undefined) {
        const codes = overview.recoveryCodes;
        items.push({ kind: 'recovery_codes', createdAt: codes.createdAt.toISOString(), lastUsedAt: codes.lastUsedAt?.toISOString() ?? null, remaining: codes.remaining });
      }
      for (const p of overview.passkeys) {
        items.push({ kind: 'passkey', id: p.id, name: p.name, deviceType: p.deviceType, backedUp: p.backedUp, createdAt: p.createdAt.toISOString(), lastUsedAt: p.lastUsedAt?.toISOString() ?? null });
      }
      return { items, enrolmentDueAt: overview.enrolmentDueAt?.toISOString() ?? null };
    },
  );

  app.delete(
    '/tenants/:tenant/users/:userId/factors',
    {
      schema: {
        tags: ['users'],
        summary: 'Remove all of a user’s second factors (authenticator app, recovery codes, passkeys); the user is mailed, and signs in with the password until they enrol again',
        security,
        params: UserParams,
        response: { 204: Type.Null(), ...errors, ...bodyErrors },
      },
    },
    async (request, reply) => {
      const tenant = await deps.tenants.require(request.params.tenant);
      const user = await deps.users.get(tenant, request.params.userId);
      if (await deps.secondFactors.removeAll(user.id)) {
        const when = deps.mailer.now();
        await deps.mailer.notify(tenant, user.email, 'second_factors_reset', `second_factors_reset.${user.id}.${Date.parse(when)}`, { when, accountLink: accountLink(deps.tenants.issuer(tenant.name), 'account') });
        deps.audit.recordAdminAction({ tenant: tenant.name, action: 'mfa_reset', clientId: request.adminClientId ?? null, userId: user.id, ip: request.ip, requestId: request.id });
        request.log.info({ ...request.logFields, event: 'mfa_reset', tenant: tenant.name, userId: user.id }, 'second factors reset by an admin');
      }
      return reply.code(204).send(null);
    },
  );
}
