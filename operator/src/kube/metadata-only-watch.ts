import { Watch, type KubeConfig } from '@kubernetes/client-node';

/**
 * Asks the apiserver for `meta.k8s.io/v1` PartialObjectMetadata instead of whole objects: each
 * event then carries the object's metadata (name, namespace, labels, resourceVersion) and nothing
 * of its spec or data. Kubernetes has served this for lists and watches since 1.15; it is how
 * controller-runtime watches metadata only.
 */
const PARTIAL_OBJECT_METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/**
 * A {@link Watch} whose events are metadata only. client-node's Watch takes its request options
 * from the KubeConfig it is given (`getCurrentCluster`, `applyToFetchOptions`) and has no option
 * for the Accept header, so it is given a view of the operator's config that adds one; credentials,
 * TLS and the server stay the config's own.
 */
export function metadataOnlyWatch(kubeConfig: KubeConfig): Watch {
  const view = {
    getCurrentCluster: () => kubeConfig.getCurrentCluster(),
    applyToFetchOptions: (options: Parameters<KubeConfig['applyToFetchOptions']>[0]) =>
      kubeConfig.applyToFetchOptions({ ...options, headers: { ...options.headers, accept: PARTIAL_OBJECT_METADATA } }),
  };
  return new Watch(view as unknown as KubeConfig);
}
