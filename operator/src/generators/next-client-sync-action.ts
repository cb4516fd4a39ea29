import type { ClientSecretInfo } from '@lanyard/contracts';
import { clientDrift } from './client-drift.js';
import { clientSecretManifest, type StoredCredential } from './client-secret-manifest.js';
import type { ClientSyncAction } from './client-sync-action.js';
import type { ClientSyncState } from './client-sync-state.js';
import { desiredClientSpec } from './desired-client-spec.js';
import { SECRET_FIELDS } from './managed-fields.js';
import { needsApply } from './needs-apply.js';
import { ownerReference } from './owner-reference.js';
import { ownsObject } from './owns-object.js';
import { readStoredCredential } from './read-stored-credential.js';
import { rotationDue } from './rotation-schedule.js';
import { secretsToMakeRoom, staleSecrets } from './stale-secrets.js';

const earliest = (...dates: Array<Date | undefined>) =>
  dates.filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];

/** Remove the oldest secret in the way first (the API allows two active), then register. */
function registerWithRoom(value: string, slot: 'stored' | 'pending', registered: readonly ClientSecretInfo[], keep: readonly string[], now: Date): ClientSyncAction {
  const [removeSecretId] = secretsToMakeRoom(registered, keep, now);
  return removeSecretId === undefined ? { kind: 'registerSecret', value, slot } : { kind: 'makeRoom', removeSecretId };
}

/**
 * The next step of a confidential client's sync (ADR 0002), decided from the observed state alone.
 * Pure: the executor (reconcile/sync-confidential-client.ts) performs the action, folds the result
 * into the state and asks again, until `conflict` or `done`. The rules, in the order they apply:
 *
 * 1. a Secret of that name the operator does not own is never touched, and nothing is registered;
 * 2. the Secret must hold a secret before the identity service sees one: a missing or edited
 *    CLIENT_SECRET is replaced by a staged PENDING_CLIENT_SECRET if there is one, else by a new
 *    secret (the identity service keeps only a hash, so a lost value cannot be restored);
 * 3. the client exists with the right type, created with the stored secret, re-applied on drift;
 * 4. a staged rotation is finished (register the pending secret, then promote it), otherwise the
 *    stored secret must be registered (again, if someone removed it in the API) and its id recorded;
 *    every value sent to the identity service is read from the Secret, never from anywhere else;
 * 5. a due rotation (period, or a changed `rotation.generation`) stages the next secret first;
 * 6. fields of the Secret someone edited are put back;
 * 7. registrations other than the current one go once the grace period after it is over.
 *
 * A crash between any two steps leaves a state this function continues from: a stored but
 * unregistered secret is registered (the POST is idempotent), a staged one is finished.
 */
export function nextClientSyncAction(state: ClientSyncState): ClientSyncAction {
  const { target, secret, progress, now } = state;
  const { tenant, client, clientId, namespace, secretName } = target;

  // 1. Someone else's Secret.
  if (secret !== undefined && !ownsObject(secret, tenant, client.name)) {
    return {
      kind: 'conflict',
      message: `Secret ${namespace}/${secretName} exists and is not managed by lanyard-operator for client "${client.name}"; it is left untouched. Delete it or choose another secret.name.`,
    };
  }

  const specGeneration = client.rotation?.generation ?? 0;
  const owner = ownerReference(tenant);
  const manifestOf = (credential: StoredCredential) =>
    clientSecretManifest({ tenantName: tenant.metadata.name, namespace, secretName, clientName: client.name, clientId, issuer: target.issuer, credential, owner });

  // 2. Store first.
  const observed = readStoredCredential(secret);
  if (observed.current === undefined) {
    const value = observed.pending ?? progress.generated;
    if (value === undefined) return { kind: 'generateSecret', purpose: 'replace' };
    return { kind: 'storeNewSecret', reason: secret === undefined ? 'missing' : 'edited', manifest: manifestOf({ value, rotationGeneration: specGeneration }) };
  }
  const stored: StoredCredential = { ...observed.current, rotationGeneration: observed.rotationGeneration, ...(observed.pending === undefined ? {} : { pending: observed.pending }) };

  // 3. The client itself.
  if (state.client.state === 'unread') return { kind: 'readClient' };
  const desired = desiredClientSpec(client);
  if (state.client.state === 'present' && !progress.clientApplied && state.client.resource.type !== desired.type) {
    return { kind: 'deleteClientOfWrongType', actualType: state.client.resource.type };
  }
  if (state.client.state === 'absent') return { kind: 'createClient', spec: { ...desired, secret: stored.value } };
  const registered = state.client.resource.secrets;
  if (!progress.clientApplied) {
    const drift = clientDrift(state.client.resource, desired);
    if (drift.length > 0) return { kind: 'applyClientDrift', spec: desired, drift };
  }

  // 4. Finish a staged rotation, or make sure the stored secret is registered and its id recorded.
  const { registration } = progress;
  if (stored.pending !== undefined) {
    if (registration?.value === stored.pending) {
      return {
        kind: 'promotePending',
        manifest: manifestOf({ value: stored.pending, id: registration.id, rotationGeneration: stored.rotationGeneration }),
        secretId: registration.id,
        ...(stored.id === undefined ? {} : { previousId: stored.id }),
      };
    }
    return registerWithRoom(stored.pending, 'pending', registered, stored.id === undefined ? [] : [stored.id], now);
  }
  const current = registered.find((s) => s.id === stored.id);
  if (current === undefined) {
    if (registration?.value === stored.value) return { kind: 'recordRegisteredId', manifest: manifestOf({ ...stored, id: registration.id }), secretId: registration.id };
    return registerWithRoom(stored.value, 'stored', registered, [], now);
  }

  // 5. Rotate when due, staging the next secret before anyone else sees it.
  const periodDays = client.rotation?.periodDays ?? state.settings.rotationDays;
  const rotation = rotationDue({ createdAt: new Date(current.createdAt), periodDays, specGeneration, storedGeneration: stored.rotationGeneration, now });
  if (rotation.due && !progress.rotationStaged) {
    if (progress.generated === undefined) return { kind: 'generateSecret', purpose: 'rotate' };
    return {
      kind: 'stageRotation',
      reason: specGeneration === stored.rotationGeneration ? 'period' : 'generation',
      manifest: manifestOf({ ...stored, pending: progress.generated, rotationGeneration: specGeneration }),
    };
  }

  // 6. Restore anything else edited; no write when equal.
  const manifest = manifestOf(stored);
  if (needsApply(manifest, secret, SECRET_FIELDS)) return { kind: 'restoreSecretFields', manifest };

  // 7. Superseded secrets, once their grace period is over.
  const stale = staleSecrets(registered, current.id, state.settings.rotationGraceSeconds, now);
  const [staleId] = stale.remove;
  if (staleId !== undefined) return { kind: 'removeStaleSecret', secretId: staleId };

  const wakeAt = earliest(rotation.due ? undefined : rotation.nextAt, stale.nextAt);
  return {
    kind: 'done',
    status: { name: client.name, clientId, ready: true, secretName, secretCreatedAt: current.createdAt },
    ...(wakeAt === undefined ? {} : { wakeAt }),
  };
}
