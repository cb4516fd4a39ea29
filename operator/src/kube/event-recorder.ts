import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { IDENTITY_TENANT_API_VERSION, IDENTITY_TENANT_KIND, type IdentityTenant } from '@lanyard/crd';
import { FIELD_MANAGER } from '../generators/well-known-names.js';
import type { EventSink } from '../reconcile/event-sink.js';

/** Events of cluster-scoped objects live in `default`, as client-go's recorder puts them. */
const EVENT_NAMESPACE = 'default';

/**
 * Records `core/v1` Events about IdentityTenants, so `kubectl describe idt` tells the story. Called
 * only on condition transitions: an Event per reconcile would flood etcd and turn every quiet resync
 * into a write.
 */
export class EventRecorder implements EventSink {
  readonly #core: CoreV1Api;
  readonly #instance: string;

  constructor(kubeConfig: KubeConfig, instance: string) {
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#instance = instance;
  }

  async record(tenant: IdentityTenant, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const now = new Date();
    await this.#core.createNamespacedEvent({
      namespace: EVENT_NAMESPACE,
      body: {
        metadata: { name: `${tenant.metadata.name}.${now.getTime().toString(16)}${randomBytes(2).toString('hex')}`, namespace: EVENT_NAMESPACE },
        involvedObject: { apiVersion: IDENTITY_TENANT_API_VERSION, kind: IDENTITY_TENANT_KIND, name: tenant.metadata.name, uid: tenant.metadata.uid },
        type,
        reason,
        message: message.slice(0, 1024),
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        source: { component: FIELD_MANAGER },
        reportingComponent: FIELD_MANAGER,
        reportingInstance: this.#instance,
      },
    });
  }
}
