import type { V1Secret } from '@kubernetes/client-node';
import type { ClientSpec } from '@lanyard/contracts';
import type { IdentityTenantClientStatus } from '@lanyard/crd';

/**
 * The one next step of a confidential client's sync, as decided by `nextClientSyncAction`. Every
 * non-terminal action is one effect (one API call, or drawing a random secret); `conflict` and
 * `done` end the sync. Secret writes carry the complete manifest to apply, so the executor never
 * decides what goes into a Secret.
 */
export type ClientSyncAction =
  /** The Secret exists and is not the operator's: touch nothing, register nothing (SecretConflict). */
  | { readonly kind: 'conflict'; readonly message: string }
  /** Draw a new secret: CLIENT_SECRET is missing or edited (`replace`), or a rotation is due (`rotate`). */
  | { readonly kind: 'generateSecret'; readonly purpose: 'replace' | 'rotate' }
  /** Write a new CLIENT_SECRET (not yet registered) to a missing or edited Secret. */
  | { readonly kind: 'storeNewSecret'; readonly reason: 'missing' | 'edited'; readonly manifest: V1Secret }
  /** Read the client from the identity service. */
  | { readonly kind: 'readClient' }
  /** The client exists with the other type, which the API cannot change in place: delete it. */
  | { readonly kind: 'deleteClientOfWrongType'; readonly actualType: string }
  /** Create the client with the stored CLIENT_SECRET in the same request (`spec.secret`). */
  | { readonly kind: 'createClient'; readonly spec: ClientSpec }
  /** Re-apply the client's registration; `drift` names the fields that differ. */
  | { readonly kind: 'applyClientDrift'; readonly spec: ClientSpec; readonly drift: readonly string[] }
  /** At most two secrets may be active: remove the oldest one not kept before registering another. */
  | { readonly kind: 'makeRoom'; readonly removeSecretId: string }
  /** Register a secret that is already on the Secret, as CLIENT_SECRET (`stored`) or PENDING_CLIENT_SECRET (`pending`). */
  | { readonly kind: 'registerSecret'; readonly value: string; readonly slot: 'stored' | 'pending' }
  /** Make the registered pending secret CLIENT_SECRET (dropping PENDING_CLIENT_SECRET) and record its id. */
  | { readonly kind: 'promotePending'; readonly manifest: V1Secret; readonly secretId: string; readonly previousId?: string }
  /** Record the registration id of CLIENT_SECRET on the Secret. */
  | { readonly kind: 'recordRegisteredId'; readonly manifest: V1Secret; readonly secretId: string }
  /** Stage the next secret as PENDING_CLIENT_SECRET, next to the still valid CLIENT_SECRET. */
  | { readonly kind: 'stageRotation'; readonly reason: 'period' | 'generation'; readonly manifest: V1Secret }
  /** Put back fields someone edited (CLIENT_ID, ISSUER_URL, labels, annotations, owner reference). */
  | { readonly kind: 'restoreSecretFields'; readonly manifest: V1Secret }
  /** Remove a superseded registration whose grace period is over. */
  | { readonly kind: 'removeStaleSecret'; readonly secretId: string }
  /** In sync: the client's status, and when something is scheduled (a rotation, the end of a grace period). */
  | { readonly kind: 'done'; readonly status: IdentityTenantClientStatus; readonly wakeAt?: Date };
