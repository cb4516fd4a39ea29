import type { KubeConfig } from '@kubernetes/client-node';
import type { OperatorConfig } from '@lanyard/config';
import type { Logger } from '@lanyard/logger';
import { createOperatorMetrics, type Registry } from '@lanyard/metrics';
import { generateClientSecret } from './generators/generate-client-secret.js';
import { tenantsReferencingSecret, tenantsWithSecretReferences } from './generators/referenced-secrets.js';
import { AdminApiClient } from './identity/admin-api-client.js';
import { AdminTokenSource } from './identity/admin-token-source.js';
import { EventRecorder } from './kube/event-recorder.js';
import { KubeGateway } from './kube/kube-gateway.js';
import { OwnedInformers } from './kube/owned-informers.js';
import { ReferencedSecretWatch } from './kube/referenced-secret-watch.js';
import { LeaseElector } from './leader/lease-elector.js';
import { WorkQueue } from './queue/work-queue.js';
import type { ReconcileContext } from './reconcile/reconcile-context.js';
import { reconcileTenant } from './reconcile/reconcile-tenant.js';
import { reportFailure } from './reconcile/report-failure.js';

/** The settings the operator reads (a subset of OperatorConfig, so tests can pass a literal). */
export type OperatorSettings = Pick<
  OperatorConfig,
  | 'LANYARD_API_URL'
  | 'LANYARD_ADMIN_CLIENT_ID'
  | 'LANYARD_ADMIN_CLIENT_SECRET'
  | 'LANYARD_API_TIMEOUT_SECONDS'
  | 'RESYNC_SECONDS'
  | 'RECONCILE_WORKERS'
  | 'BACKOFF_BASE_MILLISECONDS'
  | 'BACKOFF_MAX_SECONDS'
  | 'LEADER_ELECTION_ENABLED'
  | 'LEASE_NAMESPACE'
  | 'LEASE_NAME'
  | 'LEASE_DURATION_SECONDS'
  | 'POD_NAME'
  | 'DASHBOARDS_NAMESPACE'
  | 'SECRET_ROTATION_DAYS'
  | 'SECRET_ROTATION_GRACE_SECONDS'
>;

/** Dependencies of {@link createOperator}. */
export interface OperatorDependencies {
  readonly config: Readonly<OperatorSettings>;
  readonly kubeConfig: KubeConfig;
  readonly log: Logger;
  readonly registry: Registry;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly generateSecret?: () => string;
}

/** A running operator instance. */
export interface Operator {
  /** Starts the watches and campaigns for the Lease (or leads at once without leader election). */
  start(): Promise<void>;
  /** Stops reconciling, releases the Lease and stops the watches. */
  stop(): Promise<void>;
  /** Queues a tenant (when leading). */
  enqueue(name: string): void;
  /** Resolves when no reconcile is queued or running. */
  idle(): Promise<void>;
  /** Consecutive failures of a tenant's reconciles. */
  failures(name: string): number;
  readonly isLeader: boolean;
  /** Every watch has listed once. */
  readonly ready: boolean;
}

/**
 * Wires the IdentityTenant controller: watches feed a per-key queue whose workers run
 * {@link reconcileTenant}; only the Lease holder runs workers (the watches run everywhere, so a new
 * leader starts with a warm cache); a resync timer re-queues every tenant, which is what finds
 * drift made directly in the identity service.
 */
export function createOperator(deps: OperatorDependencies): Operator {
  const { config, kubeConfig, log, registry } = deps;
  const tokens = new AdminTokenSource({
    apiUrl: config.LANYARD_API_URL,
    clientId: config.LANYARD_ADMIN_CLIENT_ID,
    clientSecret: config.LANYARD_ADMIN_CLIENT_SECRET,
    timeoutMs: config.LANYARD_API_TIMEOUT_SECONDS * 1000,
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
  });
  const ctx: ReconcileContext = {
    kube: new KubeGateway(kubeConfig),
    identity: new AdminApiClient({ apiUrl: config.LANYARD_API_URL, tokens, timeoutMs: config.LANYARD_API_TIMEOUT_SECONDS * 1000, ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) }),
    events: new EventRecorder(kubeConfig, config.POD_NAME),
    settings: { rotationDays: config.SECRET_ROTATION_DAYS, rotationGraceSeconds: config.SECRET_ROTATION_GRACE_SECONDS, dashboardsNamespace: config.DASHBOARDS_NAMESPACE },
    log,
    now: deps.now ?? (() => new Date()),
    generateSecret: deps.generateSecret ?? generateClientSecret,
  };

  let queue: WorkQueue | undefined;
  const informers = new OwnedInformers(kubeConfig, (name) => queue?.add(name), log);
  // Secrets tenants read but do not own (identity providers' clientSecretRef): a change re-queues
  // the tenants that reference it, mapped through the informers' cache of tenants.
  const referencedSecrets = new ReferencedSecretWatch(
    kubeConfig,
    (namespace, name) => {
      for (const tenant of tenantsReferencingSecret(informers.tenants(), namespace, name)) queue?.add(tenant);
    },
    () => {
      for (const tenant of tenantsWithSecretReferences(informers.tenants())) queue?.add(tenant);
    },
    log,
  );
  const metrics = createOperatorMetrics(registry, () => {
    const all = informers.tenants();
    const ready = all.filter((t) => t.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    return { ready, notReady: all.length - ready };
  });

  const newQueue = () =>
    new WorkQueue({
      workers: config.RECONCILE_WORKERS,
      backoff: { baseMs: config.BACKOFF_BASE_MILLISECONDS, maxMs: config.BACKOFF_MAX_SECONDS * 1000 },
      handler: async (name) => {
        const stopTimer = metrics.reconcileDuration.startTimer();
        try {
          const result = await reconcileTenant(ctx, name);
          metrics.reconciles.inc({ result: result.retry === true ? 'not_ready' : 'success' });
          return result;
        } finally {
          stopTimer();
        }
      },
      onFailure: async (name, error, retryInMs, failures, retryAt) => {
        metrics.reconciles.inc({ result: 'error' });
        log.warn({ tenant: name, err: error, retryInMs, retryAt: retryAt.toISOString(), failures }, 'reconcile failed');
        await reportFailure(ctx, name, error);
      },
      onReportFailure: (name, error) => log.error({ tenant: name, err: error }, 'could not report a reconcile failure'),
    });

  const startLeading = () => {
    queue = newQueue();
    queue.start();
    for (const tenant of informers.tenants()) queue.add(tenant.metadata.name);
  };
  // Draining is chained, so every caller of stopLeading waits for the running reconciles to end.
  let drained: Promise<void> = Promise.resolve();
  const stopLeading = (): Promise<void> => {
    const draining = queue;
    queue = undefined;
    drained = drained.then(() => draining?.stop());
    return drained;
  };

  let wasLeader = false;
  let stopping = false;
  const elector = config.LEADER_ELECTION_ENABLED
    ? new LeaseElector(kubeConfig, {
        namespace: config.LEASE_NAMESPACE,
        name: config.LEASE_NAME,
        identity: config.POD_NAME,
        leaseDurationSeconds: config.LEASE_DURATION_SECONDS,
        renewDeadlineMs: (config.LEASE_DURATION_SECONDS * 1000 * 2) / 3,
        retryPeriodMs: (config.LEASE_DURATION_SECONDS * 1000) / 7.5,
        log,
        onStartedLeading: () => {
          wasLeader = true;
          startLeading();
        },
        // A leader that could not renew in time (most often: the apiserver itself was away) steps
        // down, lets its running reconciles end, and campaigns again, instead of exiting as
        // controller-runtime does: a control-plane restart longer than the renew deadline would
        // otherwise restart every operator pod. No new reconcile starts while it is not leading,
        // and a reconcile that is still running only repeats declarative PUTs and applies that a
        // new leader would make too.
        onStoppedLeading: () => {
          if (wasLeader && !stopping) log.warn('lost the Lease: reconciles stopped; campaigning again');
          void stopLeading();
        },
      })
    : undefined;

  let resync: NodeJS.Timeout | undefined;
  return {
    async start() {
      await informers.start();
      await referencedSecrets.start();
      resync = setInterval(() => {
        for (const tenant of informers.tenants()) queue?.add(tenant.metadata.name);
      }, config.RESYNC_SECONDS * 1000);
      resync.unref();
      if (elector === undefined) startLeading();
      else elector.start();
    },
    async stop() {
      stopping = true;
      clearInterval(resync);
      // Finish running reconciles while still holding the Lease, then release it for a standby.
      await stopLeading();
      await elector?.stop();
      await stopLeading();
      await referencedSecrets.stop();
      await informers.stop();
    },
    enqueue: (name) => queue?.add(name),
    idle: () => queue?.idle() ?? Promise.resolve(),
    failures: (name) => queue?.failures(name) ?? 0,
    get isLeader() {
      return elector === undefined ? true : elector.isLeader;
    },
    get ready() {
      return informers.synced;
    },
  };
}
