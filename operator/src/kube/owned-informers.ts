import {
  CoreV1Api,
  CustomObjectsApi,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import { IDENTITY_TENANT_PLURAL, IDENTITY_TENANT_VERSION, LANYARD_GROUP, type IdentityTenant } from '@lanyard/crd';
import type { Logger } from '@lanyard/logger';
import { LABELS, MANAGED_SELECTOR } from '../generators/well-known-names.js';

/** How long to wait before restarting a failed list/watch. */
const RESTART_DELAY_MS = 2_000;

type CachedInformer<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/**
 * The operator's watches: every IdentityTenant, and the Secrets and ConfigMaps labelled
 * `app.kubernetes.io/managed-by=lanyard-operator`. Each event only says "look at this tenant again"
 * (level-triggered); a change to an owned object maps back to its tenant through the
 * `lanyard.dev/tenant` label, which is how a deleted or edited Secret gets restored.
 */
export class OwnedInformers {
  readonly #tenants: CachedInformer<KubernetesObject>;
  readonly #all: Array<{ name: string; informer: CachedInformer<KubernetesObject> }>;
  readonly #log: Logger;
  readonly #synced = new Set<string>();
  #stopped = false;

  constructor(kubeConfig: KubeConfig, onTenant: (name: string) => void, log: Logger) {
    this.#log = log;
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    // A watch is synced once its list succeeded (client-node's own events fire before the list).
    const listed =
      <T extends KubernetesObject>(name: string, list: () => Promise<KubernetesListObject<T>>) =>
      async () => {
        const result = await list();
        this.#synced.add(name);
        return result;
      };
    this.#tenants = makeInformer<KubernetesObject>(
      kubeConfig,
      `/apis/${LANYARD_GROUP}/${IDENTITY_TENANT_VERSION}/${IDENTITY_TENANT_PLURAL}`,
      listed('identitytenants', () => custom.listClusterCustomObject({ group: LANYARD_GROUP, version: IDENTITY_TENANT_VERSION, plural: IDENTITY_TENANT_PLURAL }) as Promise<KubernetesListObject<KubernetesObject>>),
    );
    const secrets = makeInformer<KubernetesObject>(kubeConfig, '/api/v1/secrets', listed('secrets', () => core.listSecretForAllNamespaces({ labelSelector: MANAGED_SELECTOR })), MANAGED_SELECTOR);
    const configMaps = makeInformer<KubernetesObject>(kubeConfig, '/api/v1/configmaps', listed('configmaps', () => core.listConfigMapForAllNamespaces({ labelSelector: MANAGED_SELECTOR })), MANAGED_SELECTOR);
    this.#all = [
      { name: 'identitytenants', informer: this.#tenants },
      { name: 'secrets', informer: secrets },
      { name: 'configmaps', informer: configMaps },
    ];

    const byName = (o: KubernetesObject) => o.metadata?.name !== undefined && onTenant(o.metadata.name);
    const byLabel = (o: KubernetesObject) => {
      const tenant = o.metadata?.labels?.[LABELS.tenant];
      if (tenant !== undefined) onTenant(tenant);
    };
    for (const { name, informer } of this.#all) {
      const handler = name === 'identitytenants' ? byName : byLabel;
      informer.on('add', handler);
      informer.on('update', handler);
      informer.on('delete', handler);
      // client-node stops an informer on error; restart it, like client-go's reflector backoff.
      informer.on('error', (error: unknown) => {
        if (this.#stopped) return;
        this.#log.warn({ err: error, resource: name }, 'watch failed; restarting');
        setTimeout(() => void (this.#stopped ? undefined : informer.start().catch((e: unknown) => this.#log.warn({ err: e, resource: name }, 'watch restart failed'))), RESTART_DELAY_MS).unref();
      });
    }
  }

  /**
   * The cached IdentityTenants (for resync and the readiness gauge; reconciles read live). Custom
   * objects are not deserialised by client-node, so timestamps stay strings, as IdentityTenant says.
   */
  tenants(): IdentityTenant[] {
    return this.#tenants.list() as unknown as IdentityTenant[];
  }

  /** True once every informer has listed once. */
  get synced(): boolean {
    return this.#synced.size === this.#all.length;
  }

  /** Lists and starts watching; resolves after the first list attempt of each (failures retry in the background). */
  async start(): Promise<void> {
    await Promise.all(this.#all.map(({ informer }) => informer.start()));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#all.map(({ informer }) => informer.stop()));
  }
}
