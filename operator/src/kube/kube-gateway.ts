import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Secret,
} from '@kubernetes/client-node';
import { IDENTITY_TENANT_API_VERSION, IDENTITY_TENANT_KIND, IDENTITY_TENANT_PLURAL, IDENTITY_TENANT_VERSION, LANYARD_GROUP, type IdentityTenant, type IdentityTenantStatus } from '@lanyard/crd';
import { FIELD_MANAGER, LABELS, MANAGED_SELECTOR } from '../generators/well-known-names.js';
import type { KubeAccess } from '../reconcile/kube-access.js';
import { absentOn404 } from './api-errors.js';

const crd = { group: LANYARD_GROUP, version: IDENTITY_TENANT_VERSION, plural: IDENTITY_TENANT_PLURAL };

/**
 * Every Kubernetes call the reconciler makes, in one place. Writes are server-side apply with the
 * `lanyard-operator` field manager (force: the operator owns these fields, and reclaiming them from
 * a `kubectl edit` is how an edited Secret is restored); reads go to the API server rather than an
 * informer cache, so a reconcile never acts on a copy older than its own last write.
 */
export class KubeGateway implements KubeAccess {
  readonly #objects: KubernetesObjectApi;
  readonly #custom: CustomObjectsApi;
  readonly #core: CoreV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.#objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.#custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
  }

  /** The IdentityTenant as stored now, or undefined once it is gone. */
  getTenant(name: string): Promise<IdentityTenant | undefined> {
    return absentOn404(() => this.#custom.getClusterCustomObject({ ...crd, name }) as Promise<IdentityTenant>);
  }

  /**
   * Applies the operator's finalizers. The patch names the uid, so it can only ever touch this
   * incarnation of the object, and an object deleted in the meantime is not re-created.
   */
  async applyTenantFinalizers(tenant: IdentityTenant, finalizers: readonly string[]): Promise<IdentityTenant> {
    const body = {
      apiVersion: IDENTITY_TENANT_API_VERSION,
      kind: IDENTITY_TENANT_KIND,
      metadata: { name: tenant.metadata.name, uid: tenant.metadata.uid, finalizers: [...finalizers] },
    };
    return (await this.#objects.patch(body as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)) as unknown as IdentityTenant;
  }

  /** Applies the whole status through the status subresource (API conventions "Spec and Status"). */
  async applyTenantStatus(tenant: IdentityTenant, status: IdentityTenantStatus): Promise<void> {
    await this.#custom.patchClusterCustomObjectStatus(
      {
        ...crd,
        name: tenant.metadata.name,
        fieldManager: FIELD_MANAGER,
        force: true,
        body: { apiVersion: IDENTITY_TENANT_API_VERSION, kind: IDENTITY_TENANT_KIND, metadata: { name: tenant.metadata.name, uid: tenant.metadata.uid }, status },
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
  }

  getSecret(namespace: string, name: string): Promise<V1Secret | undefined> {
    return absentOn404(() => this.#core.readNamespacedSecret({ namespace, name }));
  }

  getConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined> {
    return absentOn404(() => this.#core.readNamespacedConfigMap({ namespace, name }));
  }

  /** Server-side apply of a complete owned object (Secret or ConfigMap). */
  async apply<T extends KubernetesObject>(manifest: T): Promise<T> {
    return (await this.#objects.patch(manifest, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)) as T;
  }

  /** Deletes an object, but only the incarnation with `uid` (a precondition, so a newer foreign object survives). */
  async delete(object: KubernetesObject): Promise<void> {
    const uid = object.metadata?.uid;
    await absentOn404(() =>
      this.#objects.delete(
        { apiVersion: object.apiVersion ?? 'v1', kind: object.kind ?? '', metadata: { name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '' } },
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        uid === undefined ? undefined : { preconditions: { uid } },
      ),
    );
  }

  /** Owned Secrets of a tenant, in every namespace, listed live. */
  async listOwnedSecrets(tenantName: string): Promise<V1Secret[]> {
    const list = await this.#core.listSecretForAllNamespaces({ labelSelector: `${MANAGED_SELECTOR},${LABELS.tenant}=${tenantName}` });
    return list.items.map((s) => ({ ...s, apiVersion: 'v1', kind: 'Secret' }));
  }

  /** Owned ConfigMaps of a tenant, in every namespace, listed live. */
  async listOwnedConfigMaps(tenantName: string): Promise<V1ConfigMap[]> {
    const list = await this.#core.listConfigMapForAllNamespaces({ labelSelector: `${MANAGED_SELECTOR},${LABELS.tenant}=${tenantName}` });
    return list.items.map((c) => ({ ...c, apiVersion: 'v1', kind: 'ConfigMap' }));
  }
}
