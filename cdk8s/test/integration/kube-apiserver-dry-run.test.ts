import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeTestCluster, startKubeTestCluster } from '@lanyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ALL_CHARTS, everythingOn, prepareCharts, renderChart, renderChartText, setArgs } from '../support/charts.js';
import { helmBinary, kubectlBinary, mustRun, PROVISION_TIMEOUT_MS, repoRoot, run, tempDir } from '../support/tools.js';

/**
 * Every manifest the charts render is accepted by a real kube-apiserver (v1.37, the operator's
 * test harness). CRDs are created for real first — the IdentityTenant CRD from the operator
 * chart's crds/ and the prometheus-operator CRDs for ServiceMonitor/PrometheusRule — so objects of
 * those kinds are validated against their actual OpenAPI schemas; the rest is a server-side
 * dry-run with strict field validation, which rejects unknown and misspelled fields.
 */
describe('kube-apiserver accepts the rendered charts', () => {
  let cluster: KubeTestCluster;
  let kubeconfig: string;
  let work: string;
  let charts: string;
  const kubectl = (...args: string[]) => run(kubectlBinary(), ['--kubeconfig', kubeconfig, ...args]);
  const mustKubectl = (...args: string[]) => mustRun(kubectlBinary(), ['--kubeconfig', kubeconfig, ...args]);

  beforeAll(async () => {
    helmBinary();
    charts = prepareCharts();
    cluster = await startKubeTestCluster();
    work = tempDir('dry-run');
    kubeconfig = join(work, 'kubeconfig');
    writeFileSync(kubeconfig, cluster.adminKubeconfig, { mode: 0o600 });

    const crdFiles = [
      ...readdirSync(join(charts, 'lanyard-operator/crds')).map((f) => join(charts, 'lanyard-operator/crds', f)),
      ...readdirSync(join(repoRoot, 'cdk8s/crds')).map((f) => join(repoRoot, 'cdk8s/crds', f)),
    ];
    for (const file of crdFiles) mustKubectl('apply', '--server-side', '-f', file);
    mustKubectl('wait', '--for=condition=Established', '--timeout=60s', 'crd/identitytenants.lanyard.dev', 'crd/servicemonitors.monitoring.coreos.com', 'crd/prometheusrules.monitoring.coreos.com');
    mustKubectl('create', 'namespace', 'lanyard');
  }, PROVISION_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.stop();
  });

  // Manifests go to kubectl as helm wrote them: re-serializing could change how YAML 1.1 reads them.
  const dryRun = (name: string, yaml: string) => {
    const file = join(work, `${name}.yaml`);
    writeFileSync(file, yaml);
    return kubectl('apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=helm', '-n', 'lanyard', '-f', file);
  };

  for (const chart of ALL_CHARTS) {
    for (const [variant, args] of [
      ['default values', []],
      ['every option on', setArgs(everythingOn(chart))],
    ] as const) {
      it(`${chart} with ${variant}`, () => {
        const manifests = renderChart(charts, chart, args);
        const result = dryRun(`${chart}-${variant.replaceAll(' ', '-')}`, renderChartText(charts, chart, args));
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(result.stdout.trim().split('\n')).toHaveLength(manifests.length);
      });
    }
  }

  it('rejects a manifest with a misspelled field (the check has teeth)', () => {
    const [deployment] = renderChart(charts, 'lanyard-worker').filter((m) => m.kind === 'Deployment');
    const broken = { ...deployment, spec: { ...deployment?.spec, replica: 2 } };
    const result = dryRun('broken', stringify(broken));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/\.spec\.replica: field not declared in schema/);
  });

  it('accepts the sample IdentityTenant in examples/', () => {
    const result = kubectl('apply', '--server-side', '--dry-run=server', '--validate=strict', '-f', join(repoRoot, 'examples/identitytenant.yaml'));
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/identitytenant.lanyard.dev\/\S+ serverside-applied \(server dry run\)/);
  });

  describe('operator RBAC, applied for real', () => {
    const operator = 'system:serviceaccount:lanyard:lanyard-operator';
    beforeAll(() => {
      const manifests = renderChart(charts, 'lanyard-operator').filter((m) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(m.kind));
      const file = join(work, 'operator-rbac.yaml');
      writeFileSync(file, manifests.map((m) => stringify(m, { version: '1.1' })).join('---\n'));
      mustKubectl('apply', '--server-side', '-n', 'lanyard', '-f', file);
    });
    const canI = (...args: string[]) => kubectl('auth', 'can-i', '--as', operator, ...args).stdout.trim();

    it('allows what the operator does', () => {
      expect(canI('watch', 'identitytenants.lanyard.dev')).toBe('yes');
      expect(canI('patch', 'identitytenants.lanyard.dev', '--subresource=status')).toBe('yes');
      expect(canI('update', 'identitytenants.lanyard.dev', '--subresource=finalizers')).toBe('yes');
      expect(canI('patch', 'secrets', '-n', 'acme')).toBe('yes');
      expect(canI('create', 'configmaps', '-n', 'monitoring')).toBe('yes');
      expect(canI('create', 'events', '-n', 'default')).toBe('yes');
      expect(canI('update', 'leases/lanyard-operator', '-n', 'lanyard')).toBe('yes');
    });

    it('denies everything else', () => {
      expect(canI('delete', 'identitytenants.lanyard.dev')).toBe('no');
      expect(canI('update', 'identitytenants.lanyard.dev')).toBe('no');
      expect(canI('update', 'leases/kube-scheduler', '-n', 'kube-system')).toBe('no');
      expect(canI('update', 'leases/other', '-n', 'lanyard')).toBe('no');
      expect(canI('create', 'deployments', '-n', 'lanyard')).toBe('no');
      expect(canI('create', 'pods', '-n', 'lanyard')).toBe('no');
      expect(canI('create', 'clusterrolebindings')).toBe('no');
      expect(canI('get', 'customresourcedefinitions')).toBe('no');
    });
  });
});
