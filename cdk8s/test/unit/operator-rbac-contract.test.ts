import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { operatorClusterRules, operatorLeaseRules } from '../../src/constructs/operator-rbac.js';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}

// The operator's integration tests run it under operator/deploy/rbac.yaml; the chart must grant
// the same cluster rules (so the tested permissions are the shipped ones) and no more on Leases.
const rbac = parseAllDocuments(readFileSync(fileURLToPath(new URL('../../../operator/deploy/rbac.yaml', import.meta.url)), 'utf8')).map(
  (d) => d.toJS() as { kind: string; rules?: Rule[] },
);
const rulesOf = (kind: string): Rule[] => rbac.find((d) => d.kind === kind)?.rules ?? [];
const normalize = (rules: readonly Rule[]) =>
  rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}${r.resourceNames ? `@${r.resourceNames.join(',')}` : ''}`)))).sort();

describe('operator RBAC in the chart vs operator/deploy/rbac.yaml', () => {
  it('grants exactly the cluster rules the operator is tested with', () => {
    expect(normalize(operatorClusterRules as Rule[])).toEqual(normalize(rulesOf('ClusterRole')));
  });

  it('grants nothing on Leases beyond the tested Role (the chart narrows get/update to its own Lease)', () => {
    const tested = new Set(normalize(rulesOf('Role')));
    for (const grant of normalize(operatorLeaseRules('lanyard-operator') as Rule[])) expect(tested).toContain(grant.replace(/@.*$/, ''));
  });
});
