import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from '@lanyard/logger';
import { absentOn404, kubeStatus } from '../kube/api-errors.js';

/** Options of {@link LeaseElector}; defaults follow client-go's leaderelection (15 s / 10 s / 2 s). */
export interface LeaseElectorOptions {
  readonly namespace: string;
  readonly name: string;
  /** This candidate's identity (the pod name). */
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  /** A leader that cannot renew for this long steps down (< lease duration, so it stops before others start). */
  readonly renewDeadlineMs: number;
  /** Time between attempts to acquire or renew. */
  readonly retryPeriodMs: number;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
  readonly log: Logger;
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, the algorithm of client-go's
 * `leaderelection` (client-node has none):
 * - the holder renews `renewTime` every retry period; a candidate takes over only when the lease was
 *   not renewed for `leaseDurationSeconds` *as observed on its own clock* (the time it last saw the
 *   record change), so clock skew between nodes cannot cause two leaders;
 * - every write is an update with the read `resourceVersion` (optimistic concurrency), so of two
 *   candidates racing for an expired lease exactly one wins. This is the one place the operator does
 *   not use server-side apply: apply has no compare-and-swap on someone else's fields;
 * - a leader that fails to renew within the renew deadline stops leading before its lease could
 *   expire for others; on shutdown it releases the lease so a successor need not wait.
 */
export class LeaseElector {
  readonly #api: CoordinationV1Api;
  readonly #options: LeaseElectorOptions;
  #leading = false;
  #observed: { holder: string; renewTime: string; at: number } | undefined;
  #lastRenew = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #tick: Promise<void> = Promise.resolve();

  constructor(kubeConfig: KubeConfig, options: LeaseElectorOptions) {
    this.#api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.#options = options;
  }

  /** True while this instance holds the lease. */
  get isLeader(): boolean {
    return this.#leading;
  }

  /** Starts campaigning; returns immediately. */
  start(): void {
    this.#schedule(0);
  }

  /** Stops campaigning and, if leading, releases the lease. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#tick;
    if (this.#leading) {
      await this.#release();
      this.#setLeading(false);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#attempt().finally(() => this.#schedule(this.#options.retryPeriodMs));
    }, delayMs);
  }

  async #attempt(): Promise<void> {
    const { log } = this.#options;
    try {
      const acquired = await this.#tryAcquireOrRenew();
      if (acquired) this.#lastRenew = Date.now();
      if (acquired && !this.#leading) this.#setLeading(true);
      if (!acquired && this.#leading) this.#setLeading(false);
    } catch (error) {
      // Transient API errors: keep leading only within the renew deadline.
      log.warn({ err: error }, 'lease update failed');
      if (this.#leading && Date.now() - this.#lastRenew > this.#options.renewDeadlineMs) this.#setLeading(false);
    }
  }

  #setLeading(leading: boolean): void {
    if (this.#leading === leading) return;
    this.#leading = leading;
    this.#options.log.info({ identity: this.#options.identity, lease: `${this.#options.namespace}/${this.#options.name}` }, leading ? 'became leader' : 'stopped leading');
    if (leading) this.#options.onStartedLeading();
    else this.#options.onStoppedLeading();
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity, leaseDurationSeconds } = this.#options;
    const now = new V1MicroTime();
    const lease = await absentOn404(() => this.#api.readNamespacedLease({ namespace, name }));
    if (lease === undefined) {
      return this.#casWrite(() =>
        this.#api.createNamespacedLease({
          namespace,
          body: { metadata: { name, namespace }, spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } },
        }),
      );
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const renewTime = spec.renewTime === undefined ? '' : new Date(spec.renewTime).toISOString();
    if (this.#observed === undefined || this.#observed.holder !== holder || this.#observed.renewTime !== renewTime) {
      this.#observed = { holder, renewTime, at: Date.now() };
    }
    const duration = (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    const heldByOther = holder !== '' && holder !== identity;
    if (heldByOther && this.#observed.at + duration > Date.now()) return false;

    const takingOver = holder !== identity;
    const body: V1Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds,
        renewTime: now,
        acquireTime: takingOver ? now : spec.acquireTime,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver ? 1 : 0),
      },
    };
    return this.#casWrite(() => this.#api.replaceNamespacedLease({ namespace, name, body }));
  }

  /** A create or an update carrying resourceVersion: 409 means another candidate won this round. */
  async #casWrite(write: () => Promise<V1Lease>): Promise<boolean> {
    try {
      const written = await write();
      const spec = written.spec ?? {};
      this.#observed = { holder: spec.holderIdentity ?? '', renewTime: spec.renewTime === undefined ? '' : new Date(spec.renewTime).toISOString(), at: Date.now() };
      return true;
    } catch (error) {
      if (kubeStatus(error) === 409) return false;
      throw error;
    }
  }

  /** client-go's ReleaseOnCancel: an empty holder lets the next candidate take over at once. */
  async #release(): Promise<void> {
    const { namespace, name, identity, log } = this.#options;
    try {
      const lease = await this.#api.readNamespacedLease({ namespace, name });
      if (lease.spec?.holderIdentity !== identity) return;
      await this.#api.replaceNamespacedLease({
        namespace,
        name,
        body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: new V1MicroTime() } },
      });
    } catch (error) {
      log.warn({ err: error }, 'could not release the lease; it will expire');
    }
  }
}
