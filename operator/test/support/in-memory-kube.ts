import type { KubernetesObject, V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { IdentityTenant, IdentityTenantStatus } from '@lanyard/crd';
import { LABELS, MANAGED_SELECTOR } from '../../src/generators/well-known-names.js';
import type { KubeAccess } from '../../src/reconcile/kube-access.js';
import type { FakeWrite, FakeWriteHook } from './fake-write.js';

interface DataObject extends KubernetesObject {
  type?: string;
  data?: { [key: string]: string };
}

/** Keys the operator's field manager set by its last apply (server-side apply's managedFields, simplified). */
interface Managed {
  readonly labels: readonly string[];
  readonly annotations: readonly string[];
  readonly data: readonly string[];
  readonly ownerReferences: boolean;
}

const [managedByKey, managedByValue] = MANAGED_SELECTOR.split('=') as [string, string];
const keyOf = (kind: string | undefined, namespace: string | undefined, name: string | undefined) => `${kind ?? ''}/${namespace ?? ''}/${name ?? ''}`;
const clone = <T>(value: T): T => structuredClone(value);

/** Keeps others' keys, drops the ones the manager applied before and leaves out now, sets the applied ones. */
function merge(current: Record<string, string> | undefined, applied: Record<string, string> | undefined, previouslyManaged: readonly string[]): Record<string, string> {
  const result = { ...(current ?? {}) };
  for (const key of previouslyManaged) if (!(key in (applied ?? {}))) delete result[key];
  return { ...result, ...(applied ?? {}) };
}

/**
 * An in-memory Kubernetes API for unit tests: IdentityTenants, Secrets and ConfigMaps, with the
 * semantics the reconcile relies on — server-side apply by one field manager (what it applied and
 * now leaves out is removed, what others set stays; force, so it always wins), uid preconditions on
 * delete, resourceVersion bumped on every write. Not a general apiserver: no validation, no watch.
 */
export class InMemoryKube implements KubeAccess {
  readonly #objects = new Map<string, { object: KubernetesObject; managed?: Managed }>();
  readonly #onWrite: FakeWriteHook | undefined;
  #sequence = 0;
  /** Every mutating call, in order (`apply Secret acme/billing-oauth`, …). */
  readonly writes: string[] = [];

  constructor(options: { onWrite?: FakeWriteHook } = {}) {
    this.#onWrite = options.onWrite;
  }

  /** Stores an object as someone else would (`kubectl apply`): not a write of the operator's, no managed fields. */
  put<T extends KubernetesObject>(object: T): T {
    const key = keyOf(object.kind, object.metadata?.namespace, object.metadata?.name);
    const existing = this.#objects.get(key);
    const stored = this.#stamp(clone(object), existing?.object);
    this.#objects.set(key, { object: stored, ...(existing?.managed === undefined ? {} : { managed: existing.managed }) });
    return clone(stored);
  }

  /** Stores an IdentityTenant as a person would create it. */
  putTenant(tenant: IdentityTenant): IdentityTenant {
    return this.put(tenant as unknown as KubernetesObject) as unknown as IdentityTenant;
  }

  /** The stored Secret, without going through the operator's interface (no hook, no copy shared). */
  peekSecret(namespace: string, name: string): V1Secret | undefined {
    const found = this.#objects.get(keyOf('Secret', namespace, name));
    return found === undefined ? undefined : (clone(found.object) as V1Secret);
  }

  async getTenant(name: string): Promise<IdentityTenant | undefined> {
    return this.#get(keyOf('IdentityTenant', undefined, name)) as unknown as IdentityTenant | undefined;
  }

  async applyTenantFinalizers(tenant: IdentityTenant, finalizers: readonly string[]): Promise<IdentityTenant> {
    return this.#write('applyTenantFinalizers', `IdentityTenant ${tenant.metadata.name}`, () => {
      const found = this.#tenant(tenant);
      const updated = { ...found, metadata: { ...found.metadata, finalizers: [...finalizers] } };
      return this.#replace(updated as unknown as KubernetesObject) as unknown as IdentityTenant;
    });
  }

  async applyTenantStatus(tenant: IdentityTenant, status: IdentityTenantStatus): Promise<void> {
    await this.#write('applyTenantStatus', `IdentityTenant ${tenant.metadata.name}`, () => {
      const found = this.#tenant(tenant);
      this.#replace({ ...found, status: clone(status) } as unknown as KubernetesObject);
    });
  }

  async getSecret(namespace: string, name: string): Promise<V1Secret | undefined> {
    return this.#get(keyOf('Secret', namespace, name)) as V1Secret | undefined;
  }

  async getConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined> {
    return this.#get(keyOf('ConfigMap', namespace, name)) as V1ConfigMap | undefined;
  }

  async apply<T extends KubernetesObject>(manifest: T): Promise<T> {
    return this.#write('apply', `${manifest.kind} ${manifest.metadata?.namespace}/${manifest.metadata?.name}`, () => this.#applyNow(manifest));
  }

  /** Stores an object as an earlier apply of the operator left it (its fields managed by the operator), without counting a write. */
  putApplied<T extends KubernetesObject>(manifest: T): T {
    return this.#applyNow(manifest);
  }

  #applyNow<T extends KubernetesObject>(manifest: T): T {
    const { kind, metadata } = manifest;
    const key = keyOf(kind, metadata?.namespace, metadata?.name);
    const existing = this.#objects.get(key);
    const previous: Managed = existing?.managed ?? { labels: [], annotations: [], data: [], ownerReferences: false };
    const base = (existing?.object ?? { apiVersion: manifest.apiVersion, kind, metadata: { name: metadata?.name, namespace: metadata?.namespace } }) as DataObject;
    const applied = manifest as DataObject;
    const ownerReferences = applied.metadata?.ownerReferences ?? (previous.ownerReferences ? undefined : base.metadata?.ownerReferences);
    const { ownerReferences: _replaced, ...baseMetadata } = base.metadata ?? {};
    const merged: DataObject = {
      ...base,
      metadata: {
        ...baseMetadata,
        labels: merge(base.metadata?.labels, applied.metadata?.labels, previous.labels),
        annotations: merge(base.metadata?.annotations, applied.metadata?.annotations, previous.annotations),
        ...(ownerReferences === undefined ? {} : { ownerReferences: clone(ownerReferences) }),
      },
      ...(applied.type === undefined ? {} : { type: applied.type }),
      data: merge(base.data, applied.data, previous.data),
    };
    const stored = this.#stamp(merged, existing?.object);
    this.#objects.set(key, {
      object: stored,
      managed: {
        labels: Object.keys(applied.metadata?.labels ?? {}),
        annotations: Object.keys(applied.metadata?.annotations ?? {}),
        data: Object.keys(applied.data ?? {}),
        ownerReferences: applied.metadata?.ownerReferences !== undefined,
      },
    });
    return clone(stored) as T;
  }

  async delete(object: KubernetesObject): Promise<void> {
    await this.#write('delete', `${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}`, () => {
      const key = keyOf(object.kind, object.metadata?.namespace, object.metadata?.name);
      const found = this.#objects.get(key);
      if (found === undefined) return;
      const uid = object.metadata?.uid;
      if (uid !== undefined && found.object.metadata?.uid !== uid) throw Object.assign(new Error(`Precondition failed: UID in precondition: ${uid}`), { code: 409 });
      this.#objects.delete(key);
    });
  }

  async listOwnedSecrets(tenantName: string): Promise<V1Secret[]> {
    return this.#listOwned('Secret', tenantName) as V1Secret[];
  }

  async listOwnedConfigMaps(tenantName: string): Promise<V1ConfigMap[]> {
    return this.#listOwned('ConfigMap', tenantName) as V1ConfigMap[];
  }

  #get(key: string): KubernetesObject | undefined {
    const found = this.#objects.get(key);
    return found === undefined ? undefined : clone(found.object);
  }

  #listOwned(kind: string, tenantName: string): KubernetesObject[] {
    return [...this.#objects.values()]
      .map((o) => o.object)
      .filter((o) => o.kind === kind && o.metadata?.labels?.[managedByKey] === managedByValue && o.metadata.labels[LABELS.tenant] === tenantName)
      .map(clone);
  }

  #tenant(tenant: IdentityTenant): IdentityTenant {
    const found = this.#objects.get(keyOf('IdentityTenant', undefined, tenant.metadata.name))?.object as unknown as IdentityTenant | undefined;
    if (found === undefined || (tenant.metadata.uid !== undefined && found.metadata.uid !== tenant.metadata.uid)) {
      throw Object.assign(new Error(`identitytenants "${tenant.metadata.name}" not found`), { code: 404 });
    }
    return found;
  }

  #replace(object: KubernetesObject): KubernetesObject {
    const key = keyOf(object.kind, object.metadata?.namespace, object.metadata?.name);
    const existing = this.#objects.get(key);
    const stored = this.#stamp(clone(object), existing?.object);
    this.#objects.set(key, { ...existing, object: stored });
    return clone(stored);
  }

  /** uid on creation (kept afterwards), a new resourceVersion on every write. */
  #stamp<T extends KubernetesObject>(object: T, previous: KubernetesObject | undefined): T {
    this.#sequence += 1;
    const metadata = object.metadata ?? {};
    metadata.uid = previous?.metadata?.uid ?? metadata.uid ?? `uid-${this.#sequence}`;
    metadata.resourceVersion = String(this.#sequence);
    object.metadata = metadata;
    return object;
  }

  async #write<T>(method: string, target: string, effect: () => T): Promise<T> {
    const write: FakeWrite = { system: 'kube', method, target };
    this.#onWrite?.(write, 'before');
    const result = effect();
    this.writes.push(`${method} ${target}`);
    this.#onWrite?.(write, 'after');
    return result;
  }
}
