import { CoreV1Api, type KubeConfig, type KubernetesObject, type Watch } from '@kubernetes/client-node';
import type { Logger } from '@lanyard/logger';
import { kubeStatus } from './api-errors.js';
import { metadataOnlyWatch } from './metadata-only-watch.js';

/** How long to wait before re-opening a watch that ended or failed. */
const RESTART_DELAY_MS = 2_000;

/**
 * A cache-less watch of every Secret, for the Secrets that tenants reference but do not own
 * (`spec.identityProviders[].clientSecretRef`): those carry no label of the operator's, so the
 * owned-object informers never see them. Each event only says "Secret namespace/name changed";
 * the operator maps it to the tenants that reference it. The watch asks for metadata only
 * ({@link metadataOnlyWatch}), so no Secret's data, referenced or not, reaches the operator over
 * it, and nothing is kept but the last resourceVersion. A watch that ends resumes from that
 * version; when it is too old (410 Gone) the watch starts afresh from a one-item list and
 * `onRelist` re-queues everything, since events in between may have been missed.
 * It needs no RBAC beyond the cluster-wide get/list/watch on secrets the owned Secrets need already.
 */
export class ReferencedSecretWatch {
  readonly #core: CoreV1Api;
  readonly #watch: Watch;
  readonly #onSecret: (namespace: string, name: string) => void;
  readonly #onRelist: () => void;
  readonly #log: Logger;
  #resourceVersion: string | undefined;
  #abort: AbortController | undefined;
  #retry: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(kubeConfig: KubeConfig, onSecret: (namespace: string, name: string) => void, onRelist: () => void, log: Logger) {
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#watch = metadataOnlyWatch(kubeConfig);
    this.#onSecret = onSecret;
    this.#onRelist = onRelist;
    this.#log = log;
  }

  /** Opens the watch; resolves after the first attempt (a failure retries in the background). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#open();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#abort?.abort();
  }

  async #open(): Promise<void> {
    if (this.#stopped) return;
    try {
      if (this.#resourceVersion === undefined) {
        // A list of one item is enough for a consistent resourceVersion to watch from.
        const list = await this.#core.listSecretForAllNamespaces({ limit: 1 });
        this.#resourceVersion = list.metadata?.resourceVersion;
        this.#onRelist();
      }
      this.#abort = await this.#watch.watch(
        '/api/v1/secrets',
        { allowWatchBookmarks: true, ...(this.#resourceVersion === undefined ? {} : { resourceVersion: this.#resourceVersion }) },
        (phase: string, object: KubernetesObject & { code?: number }) => this.#event(phase, object),
        (error: unknown) => this.#ended(error),
      );
    } catch (error) {
      if (kubeStatus(error) === 410) this.#resourceVersion = undefined;
      this.#ended(error);
    }
  }

  #event(phase: string, object: KubernetesObject & { code?: number }): void {
    if (phase === 'ERROR') {
      // A Status object; 410: the version is too old to resume from.
      if (object.code === 410) this.#resourceVersion = undefined;
      return;
    }
    const version = object.metadata?.resourceVersion;
    if (version !== undefined) this.#resourceVersion = version;
    if (phase === 'BOOKMARK') return;
    const { namespace, name } = object.metadata ?? {};
    if (namespace !== undefined && name !== undefined) this.#onSecret(namespace, name);
  }

  #ended(error: unknown): void {
    if (this.#stopped) return;
    if (error !== null && error !== undefined && (error as { name?: string }).name !== 'AbortError') this.#log.warn({ err: error, resource: 'secrets (referenced)' }, 'watch failed; restarting');
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#open(), RESTART_DELAY_MS);
    this.#retry.unref();
  }
}
