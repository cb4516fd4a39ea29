import type { ClientSecretInfo } from '@lanyard/contracts';
import type { IdentityTenant, IdentityTenantClient } from '@lanyard/crd';
import type { V1Secret } from '@kubernetes/client-node';
import { clientDrift } from '../generators/client-drift.js';
import { clientSecretManifest, type StoredCredential } from '../generators/client-secret-manifest.js';
import { desiredClientSpec } from '../generators/desired-client-spec.js';
import { effectiveClientId } from '../generators/effective-client-id.js';
import { SECRET_FIELDS } from '../generators/managed-fields.js';
import { needsApply } from '../generators/needs-apply.js';
import { ownerReference } from '../generators/owner-reference.js';
import { ownsObject } from '../generators/owns-object.js';
import { readStoredCredential } from '../generators/read-stored-credential.js';
import { rotationDue } from '../generators/rotation-schedule.js';
import { secretsToMakeRoom, staleSecrets } from '../generators/stale-secrets.js';
import type { ClientOutcome } from './client-outcome.js';
import type { ReconcileContext } from './reconcile-context.js';

const earliest = (...dates: Array<Date | undefined>) =>
  dates.filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];

/**
 * A confidential client and its Secret (ADR 0002). Rules, in order:
 * - a Secret of that name the operator does not own is never touched (SecretConflict);
 * - a secret is always written to the Secret before the identity service sees it, so it cannot be
 *   lost between the two writes; a missing or edited CLIENT_SECRET is replaced by a new one, because
 *   the identity service keeps only a hash;
 * - the client is created with that secret (no server-generated secret that nobody stores) and
 *   re-applied only when it drifted;
 * - the stored secret must be registered (re-registered if someone removed it in the API);
 * - a rotation stages the next secret as PENDING_CLIENT_SECRET, registers it, then promotes it, so
 *   CLIENT_SECRET always holds a registered secret;
 * - secrets other than the current one are removed once the grace period after the current one's
 *   registration is over.
 */
export async function syncConfidentialClient(ctx: ReconcileContext, tenant: IdentityTenant, client: IdentityTenantClient, issuer: string): Promise<ClientOutcome> {
  const tenantName = tenant.metadata.name;
  const namespace = tenant.spec.namespace;
  const secretName = client.secret!.name;
  const clientId = effectiveClientId(tenantName, client);
  const log = ctx.log.child({ tenant: tenantName, clientId });
  const now = ctx.now();

  let secret: V1Secret | undefined = await ctx.kube.getSecret(namespace, secretName);
  if (secret !== undefined && !ownsObject(secret, tenant, client.name)) {
    return {
      status: { name: client.name, clientId, ready: false, secretName },
      problem: {
        part: 'SecretsReady',
        reason: 'SecretConflict',
        message: `Secret ${namespace}/${secretName} exists and is not managed by lanyard-operator for client "${client.name}"; it is left untouched. Delete it or choose another secret.name.`,
      },
    };
  }

  const owner = ownerReference(tenant);
  const specGeneration = client.rotation?.generation ?? 0;
  const write = async (credential: StoredCredential): Promise<StoredCredential> => {
    const manifest = clientSecretManifest({ tenantName, namespace, secretName, clientName: client.name, clientId, issuer, credential, owner });
    if (needsApply(manifest, secret, SECRET_FIELDS)) secret = await ctx.kube.apply(manifest);
    return credential;
  };

  // 1. Something to register must be stored first.
  const observed = readStoredCredential(secret);
  let stored: StoredCredential;
  if (observed.current !== undefined) {
    stored = { ...observed.current, rotationGeneration: observed.rotationGeneration, ...(observed.pending === undefined ? {} : { pending: observed.pending }) };
  } else {
    log.info({ secret: `${namespace}/${secretName}`, reason: secret === undefined ? 'missing' : 'edited' }, 'storing a new client secret');
    stored = await write({ value: observed.pending ?? ctx.generateSecret(), rotationGeneration: specGeneration });
  }

  // 2. The client itself.
  const desired = desiredClientSpec(client);
  let actual = await ctx.identity.getClient(tenantName, clientId);
  if (actual !== undefined && actual.type !== desired.type) {
    await ctx.identity.deleteClient(tenantName, clientId);
    actual = undefined;
  }
  if (actual === undefined) {
    log.info({}, 'creating client');
    actual = await ctx.identity.putClient(tenantName, clientId, { ...desired, secret: stored.value });
  } else {
    const drift = clientDrift(actual, desired);
    if (drift.length > 0) {
      log.info({ drift }, 'applying client');
      actual = await ctx.identity.putClient(tenantName, clientId, desired);
    }
  }

  let registered: ClientSecretInfo[] = [...actual.secrets];
  const register = async (value: string, keep: readonly string[]): Promise<ClientSecretInfo> => {
    for (const id of secretsToMakeRoom(registered, keep, now)) {
      log.info({ secretId: id }, 'removing the oldest client secret to make room');
      await ctx.identity.removeClientSecret(tenantName, clientId, id);
      registered = registered.filter((s) => s.id !== id);
    }
    const info = await ctx.identity.addClientSecret(tenantName, clientId, { secret: value });
    registered = [...registered.filter((s) => s.id !== info.id), info];
    return info;
  };

  // 3. Finish a staged rotation, or make sure the stored secret is registered.
  if (stored.pending !== undefined) {
    const info = await register(stored.pending, stored.id === undefined ? [] : [stored.id]);
    stored = await write({ value: stored.pending, id: info.id, rotationGeneration: stored.rotationGeneration });
    log.info({ secretId: info.id }, 'rotated client secret');
  } else if (stored.id === undefined || !registered.some((s) => s.id === stored.id)) {
    const info = await register(stored.value, []);
    stored = await write({ ...stored, id: info.id });
    log.info({ secretId: info.id }, 'registered client secret');
  }

  // 4. Rotate when due (period or a changed rotation.generation).
  let current = registered.find((s) => s.id === stored.id)!;
  const periodDays = client.rotation?.periodDays ?? ctx.settings.rotationDays;
  const rotation = rotationDue({ createdAt: new Date(current.createdAt), periodDays, specGeneration, storedGeneration: stored.rotationGeneration, now });
  if (rotation.due) {
    const previousId = stored.id!;
    stored = await write({ ...stored, pending: ctx.generateSecret(), rotationGeneration: specGeneration });
    current = await register(stored.pending!, [previousId]);
    stored = await write({ value: stored.pending!, id: current.id, rotationGeneration: specGeneration });
    log.info({ secretId: current.id, previousId }, 'rotated client secret');
  }

  // 5. Restore anything else edited (CLIENT_ID, ISSUER_URL, labels, owner reference); no-op when equal.
  await write(stored);

  // 6. Remove superseded secrets once their grace period is over.
  const stale = staleSecrets(registered, current.id, ctx.settings.rotationGraceSeconds, now);
  for (const id of stale.remove) {
    log.info({ secretId: id }, 'removing superseded client secret');
    await ctx.identity.removeClientSecret(tenantName, clientId, id);
  }

  const wakeAt = earliest(rotation.due ? undefined : rotation.nextAt, stale.nextAt);
  return {
    status: { name: client.name, clientId, ready: true, secretName, secretCreatedAt: current.createdAt },
    ...(wakeAt === undefined ? {} : { wakeAt }),
  };
}
