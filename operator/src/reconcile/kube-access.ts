import type { KubernetesObject, V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { IdentityTenant, IdentityTenantStatus } from '@lanyard/crd';

/**
 * The Kubernetes calls a reconcile makes, and nothing else. The reconcile names this interface
 * rather than a client class, so it can run against an in-memory fake in unit tests;
 * `KubeGateway` (../kube/kube-gateway.ts) is the implementation against the API server.
 */
export interface KubeAccess {
  /** The IdentityTenant as stored now, or undefined once it is gone. */
  getTenant(name: string): Promise<IdentityTenant | undefined>;
  /** Applies the operator's finalizers to this incarnation (uid) of the tenant. */
  applyTenantFinalizers(tenant: IdentityTenant, finalizers: readonly string[]): Promise<IdentityTenant>;
  /** Applies the whole status through the status subresource. */
  applyTenantStatus(tenant: IdentityTenant, status: IdentityTenantStatus): Promise<void>;
  getSecret(namespace: string, name: string): Promise<V1Secret | undefined>;
  getConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  /** Server-side apply (force) of a complete owned object; returns the object as stored. */
  apply<T extends KubernetesObject>(manifest: T): Promise<T>;
  /** Deletes exactly this incarnation (uid) of an object; absent is fine. */
  delete(object: KubernetesObject): Promise<void>;
  /** Owned Secrets of a tenant, in every namespace. */
  listOwnedSecrets(tenantName: string): Promise<V1Secret[]>;
  /** Owned ConfigMaps of a tenant, in every namespace. */
  listOwnedConfigMaps(tenantName: string): Promise<V1ConfigMap[]>;
}
