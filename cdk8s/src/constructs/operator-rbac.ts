import { IDENTITY_TENANT_PLURAL, LANYARD_GROUP } from '@lanyard/crd';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';

export interface OperatorRbacProps {
  /** The operator's ServiceAccount. */
  readonly serviceAccountName: string;
  /** Name of the leader-election Lease (LEASE_NAME). */
  readonly leaseName: string;
}

/**
 * The rules the operator needs across the cluster, and nothing more (each line says why). They match
 * operator/deploy/rbac.yaml, which the operator's own integration tests run under (a test compares).
 */
export const operatorClusterRules: k8s.PolicyRule[] = [
  // Watch every IdentityTenant; server-side apply adds and removes the finalizer.
  { apiGroups: [LANYARD_GROUP], resources: [IDENTITY_TENANT_PLURAL], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: [LANYARD_GROUP], resources: [`${IDENTITY_TENANT_PLURAL}/status`], verbs: ['patch'] },
  // Owner references with blockOwnerDeletion require update on the owner's finalizers.
  { apiGroups: [LANYARD_GROUP], resources: [`${IDENTITY_TENANT_PLURAL}/finalizers`], verbs: ['update'] },
  // Client Secrets and dashboard ConfigMaps live in namespaces named by each tenant's spec, so
  // these cannot be namespaced Roles. Server-side apply that creates needs `create` as well as `patch`.
  // get/list/watch also serve the Secrets identity providers reference (read, never written).
  { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
  // Events about cluster-scoped tenants go to `default`; one per transition, never aggregated.
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
];

/** Leader election, only in the operator's own namespace and only on its own Lease. */
export const operatorLeaseRules = (leaseName: string): k8s.PolicyRule[] => [
  // `create` cannot be limited by resourceNames (the name is not known before the object exists).
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [leaseName], verbs: ['get', 'update'] },
];

/** ClusterRole + binding for the rules above, and a Role + binding for the Lease. */
export class OperatorRbac extends Construct {
  public constructor(scope: Construct, id: string, props: OperatorRbacProps) {
    super(scope, id);
    const chart = HelmChart.of(this);
    // Cluster-scoped names must not collide between releases in different namespaces.
    const clusterName = `${chart.resourceName()}-${helm.value('.Release.Namespace')}`;
    const subject = { kind: 'ServiceAccount', name: props.serviceAccountName, namespace: helm.value('.Release.Namespace') };

    new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: clusterName }, rules: operatorClusterRules });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: clusterName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [subject],
    });
    new k8s.KubeRole(this, 'LeaseRole', { metadata: { name: `${chart.resourceName()}-leader-election` }, rules: operatorLeaseRules(props.leaseName) });
    new k8s.KubeRoleBinding(this, 'LeaseRoleBinding', {
      metadata: { name: `${chart.resourceName()}-leader-election` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${chart.resourceName()}-leader-election` },
      subjects: [subject],
    });
  }
}
