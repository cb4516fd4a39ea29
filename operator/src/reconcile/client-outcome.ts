import type { IdentityTenantClientStatus } from '@lanyard/crd';

/** The result of syncing one client. */
export interface ClientOutcome {
  readonly status: IdentityTenantClientStatus;
  /** Why the client is not ready, and which condition says so. */
  readonly problem?: { readonly part: 'SecretsReady' | 'ClientsReady'; readonly reason: string; readonly message: string };
  /** When something is scheduled for the client (rotation, end of a grace period). */
  readonly wakeAt?: Date;
}
