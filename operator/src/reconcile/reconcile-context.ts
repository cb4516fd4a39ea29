import type { Logger } from '@lanyard/logger';
import type { EventSink } from './event-sink.js';
import type { IdentityAccess } from './identity-access.js';
import type { KubeAccess } from './kube-access.js';

/** Operator settings the reconcile reads (from OperatorConfig). */
export interface ReconcileSettings {
  /** Default rotation period when a client does not set one; 0 = only on request. */
  readonly rotationDays: number;
  /** How long the previous secret keeps working after a rotation. */
  readonly rotationGraceSeconds: number;
  /** Dashboards namespace when a tenant does not set one. */
  readonly dashboardsNamespace: string;
}

/**
 * Everything one reconcile needs; built once, shared by all workers. The three clients are named by
 * the interfaces the reconcile uses, so unit tests can pass in-memory fakes
 * (operator/test/support/fake-reconcile-context.ts) while the operator passes the real ones.
 */
export interface ReconcileContext {
  readonly kube: KubeAccess;
  readonly identity: IdentityAccess;
  readonly events: EventSink;
  readonly settings: ReconcileSettings;
  readonly log: Logger;
  /** Injectable clock. */
  readonly now: () => Date;
  /** Injectable secret generator (tests count generations). */
  readonly generateSecret: () => string;
}

/** How a reconcile ended, for the queue. */
export interface ReconcileResult {
  /** Wake up then (a scheduled rotation, the end of a grace period). */
  readonly requeueAfterMs?: number;
  /** Not converged for a reason only someone else can fix (a conflict): retry with backoff. */
  readonly retry?: boolean;
}
