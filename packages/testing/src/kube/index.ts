export { startKubeTestCluster, type KubeTestCluster, type KubeTestClusterOptions } from './start-kube-test-cluster.js';
export { findKubeBinaries, type KubeBinaries } from './kube-binaries.js';
export { kubeconfigDocument } from './kubeconfig-document.js';
export { kubeRequest, type KubeRequestOptions, type KubeResponse } from './kube-request.js';
export type { AuditEvent } from './audit-events.js';
