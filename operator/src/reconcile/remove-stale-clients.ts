import type { IdentityTenant } from '@lanyard/crd';
import { effectiveClientId } from '../generators/effective-client-id.js';
import { ownsObject } from '../generators/owns-object.js';
import { LABELS, SECRET_KEYS } from '../generators/well-known-names.js';
import type { ReconcileContext } from './reconcile-context.js';

/**
 * Deletes what belongs to clients no longer in the spec: the client in the identity service first
 * (so its credentials stop working), then its Secret. Previously managed clients are known from
 * `status.clients` and from the owned Secrets' labels and CLIENT_ID, so a client is found even when
 * its status was never written. Also deletes owned Secrets a client no longer uses (renamed
 * `secret.name`).
 */
export async function removeStaleClients(ctx: ReconcileContext, tenant: IdentityTenant): Promise<void> {
  const tenantName = tenant.metadata.name;
  const desired = new Map((tenant.spec.clients ?? []).map((c) => [c.name, c]));
  const desiredIds = new Set([...desired.values()].map((c) => effectiveClientId(tenantName, c)));
  const owned = (await ctx.kube.listOwnedSecrets(tenantName)).filter((s) => ownsObject(s, tenant));

  const goneIds = new Set<string>();
  for (const entry of tenant.status?.clients ?? []) if (!desiredIds.has(entry.clientId)) goneIds.add(entry.clientId);
  for (const secret of owned) {
    const clientName = secret.metadata?.labels?.[LABELS.client] ?? '';
    const raw = secret.data?.[SECRET_KEYS.clientId];
    if (!desired.has(clientName) && raw !== undefined) {
      const clientId = Buffer.from(raw, 'base64').toString('utf8');
      if (!desiredIds.has(clientId)) goneIds.add(clientId);
    }
  }
  for (const clientId of goneIds) {
    if (await ctx.identity.deleteClient(tenantName, clientId)) ctx.log.info({ tenant: tenantName, clientId }, 'deleted removed client');
  }

  for (const secret of owned) {
    const client = desired.get(secret.metadata?.labels?.[LABELS.client] ?? '');
    const stillUsed = client?.secret !== undefined && client.secret.name === secret.metadata?.name && tenant.spec.namespace === secret.metadata?.namespace;
    if (!stillUsed) {
      ctx.log.info({ tenant: tenantName, secret: `${secret.metadata?.namespace}/${secret.metadata?.name}` }, 'deleting Secret of a removed client');
      await ctx.kube.delete(secret);
    }
  }
}
