import type { FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import { NotFoundProblem } from '@lanyard/errors';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { addLogFields } from '../http/log-fields.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The tenant named in the URL; an unknown (or malformed) issuer is a 404 at every endpoint. */
export async function loadTenant(tenants: Pick<TenantLookup, 'find'>, request: FastifyRequest): Promise<Tenant> {
  const name = (request.params as { tenant?: string }).tenant ?? '';
  const tenant = DNS_LABEL.test(name) ? await tenants.find(name) : undefined;
  if (tenant === undefined) throw new NotFoundProblem(`No issuer at /tenants/${name.slice(0, 63)}.`);
  addLogFields(request, { tenant: tenant.name });
  return tenant;
}
