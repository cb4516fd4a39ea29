import type { IdentityTenant } from '@lanyard/crd';
import { generateClientSecret } from '../../src/generators/generate-client-secret.js';
import type { ReconcileContext, ReconcileSettings } from '../../src/reconcile/reconcile-context.js';
import { captureLogger } from './capture-logger.js';
import type { FakeWriteHook } from './fake-write.js';
import { InMemoryIdentity } from './in-memory-identity.js';
import { InMemoryKube } from './in-memory-kube.js';

/** Options of {@link fakeReconcileContext}. */
export interface FakeReconcileContextOptions {
  readonly settings?: Partial<ReconcileSettings>;
  /** The operator's clock. @default the real clock */
  readonly now?: () => Date;
  /** The identity service's clock. @default the operator's */
  readonly identityNow?: () => Date;
  /** Sees every write to either fake (crash injection, invariant checks). */
  readonly onWrite?: FakeWriteHook;
}

/** A {@link ReconcileContext} on in-memory fakes, and the handles a test asserts on. */
export interface FakeReconcile {
  readonly ctx: ReconcileContext;
  readonly kube: InMemoryKube;
  readonly identity: InMemoryIdentity;
  /** Events recorded, as `type/reason`. */
  readonly events: string[];
  /** Every secret `ctx.generateSecret` returned, in order. */
  readonly generated: string[];
  /** The reconcile's log lines, parsed. */
  readonly lines: Array<Record<string, unknown>>;
}

/**
 * The reconcile's context wired to an in-memory Kubernetes and identity service, so reconciles run
 * in unit tests, with crashes injected at any write. Integration tests use the real ones instead.
 */
export function fakeReconcileContext(options: FakeReconcileContextOptions = {}): FakeReconcile {
  const now = options.now ?? (() => new Date());
  const hook = options.onWrite === undefined ? {} : { onWrite: options.onWrite };
  const kube = new InMemoryKube(hook);
  const identity = new InMemoryIdentity({ now: options.identityNow ?? now, ...hook });
  const events: string[] = [];
  const generated: string[] = [];
  const { log, lines } = captureLogger('operator');
  const ctx: ReconcileContext = {
    kube,
    identity,
    events: {
      async record(_tenant: IdentityTenant, type, reason) {
        events.push(`${type}/${reason}`);
      },
    },
    settings: { rotationDays: 90, rotationGraceSeconds: 86_400, dashboardsNamespace: 'monitoring', ...options.settings },
    log,
    now,
    generateSecret: () => {
      const value = generateClientSecret();
      generated.push(value);
      return value;
    },
  };
  return { ctx, kube, identity, events, generated, lines };
}
