import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { identityTenantCrdYaml } from '@lanyard/crd';

const read = (file: string) => readFileSync(new URL(`../../deploy/${file}`, import.meta.url), 'utf8');

describe('operator/deploy', () => {
  it('crd.yaml is exactly what `npm run -w @lanyard/operator gen:crd` writes', () => {
    expect(read('crd.yaml')).toBe(identityTenantCrdYaml());
  });

  it('rbac.yaml binds the lanyard-operator ServiceAccount to a ClusterRole and a Lease-only Role in its namespace', () => {
    const docs = parseAllDocuments(read('rbac.yaml')).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string }; rules?: Array<{ resources: string[]; verbs: string[] }>; subjects?: unknown[] });
    expect(docs.map((d) => d.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
    const role = docs.find((d) => d.kind === 'Role')!;
    expect(role.metadata.namespace).toBe('lanyard');
    expect(role.rules).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }]);
    const clusterRole = docs.find((d) => d.kind === 'ClusterRole')!;
    // No wildcard, no escalation surface.
    for (const rule of clusterRole.rules!) {
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('*');
    }
    for (const binding of docs.filter((d) => d.kind.endsWith('Binding'))) {
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'lanyard-operator', namespace: 'lanyard' }]);
    }
  });
});
