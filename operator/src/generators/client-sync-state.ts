import type { V1Secret } from '@kubernetes/client-node';
import type { ClientResource } from '@lanyard/contracts';
import type { IdentityTenant, IdentityTenantClient } from '@lanyard/crd';

/** Which client and Secret one sync is about; fixed for the whole sync. */
export interface ClientSyncTarget {
  readonly tenant: IdentityTenant;
  /** The spec entry (a Confidential client with `secret.name`). */
  readonly client: IdentityTenantClient;
  /** Its effective OAuth client id. */
  readonly clientId: string;
  /** `spec.namespace`, where the Secret lives. */
  readonly namespace: string;
  readonly secretName: string;
  /** The tenant's issuer, written to ISSUER_URL. */
  readonly issuer: string;
}

/** Operator settings the sync reads (a subset of ReconcileSettings). */
export interface ClientSyncSettings {
  /** Default rotation period when the client sets none; 0 = only on request. */
  readonly rotationDays: number;
  /** How long a superseded secret keeps working after the current one was registered. */
  readonly rotationGraceSeconds: number;
}

/**
 * The client in the identity service as last read or written. "Unread" is a state of its own: the
 * client is read only once the Secret is known to be the operator's and to hold a secret, so a
 * SecretConflict costs no call to the identity service.
 */
export type ClientObservation =
  | { readonly state: 'unread' }
  | { readonly state: 'absent' }
  | { readonly state: 'present'; readonly resource: ClientResource };

/**
 * What this sync did that the observation alone cannot show. Each field exists for one reason:
 * a value the identity service will not give back, or a guard against repeating a write forever.
 */
export interface ClientSyncProgress {
  /** A secret generated for this sync and not stored yet (generating is an effect, so it is an action). */
  readonly generated?: string;
  /**
   * The secret this sync registered last and the id it got. The identity service never returns a
   * secret's value, so this is the only way to tie a registration to the value on the Secret.
   */
  readonly registration?: { readonly value: string; readonly id: string };
  /**
   * The client was created or re-applied in this sync. It is then taken as the API returned it: a
   * field the API normalises differently is re-applied on the next reconcile, not in a loop.
   */
  readonly clientApplied: boolean;
  /**
   * A rotation was staged in this sync. At most one per sync, so an operator clock far ahead of the
   * identity service's (or a period shorter than a reconcile) cannot rotate in a loop.
   */
  readonly rotationStaged: boolean;
}

/**
 * Everything `nextClientSyncAction` decides on: the Secret and the client as observed (or as
 * the last write returned them), the spec and settings, the clock, and the sync's progress. Plain
 * data, so every decision can be tested without a cluster or an identity service.
 */
export interface ClientSyncState {
  readonly target: ClientSyncTarget;
  readonly settings: ClientSyncSettings;
  /** One instant for the whole sync, so every decision in it agrees on what is due. */
  readonly now: Date;
  /** The Secret as last read or applied; undefined when absent. */
  readonly secret: V1Secret | undefined;
  readonly client: ClientObservation;
  readonly progress: ClientSyncProgress;
}
