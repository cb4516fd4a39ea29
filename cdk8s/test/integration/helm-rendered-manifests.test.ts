import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityTenantCrd } from '@lanyard/crd';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ChartName, WORKLOAD_CHARTS, everythingOn, prepareCharts, renderChart, setArgs } from '../support/charts.js';
import { PROVISION_TIMEOUT_MS, repoRoot } from '../support/tools.js';
import { type Manifest, byKind, isWorkload, podSpecOf } from '../support/manifests.js';

// What `helm template` produces must hold the platform's rules, for defaults and overrides alike.
describe('rendered manifests', () => {
  let dir: string;
  const rendered = new Map<ChartName, Manifest[]>();
  beforeAll(() => {
    dir = prepareCharts();
    for (const chart of WORKLOAD_CHARTS) rendered.set(chart, renderChart(dir, chart, setArgs(everythingOn(chart))));
  }, PROVISION_TIMEOUT_MS);
  const manifests = (chart: ChartName): Manifest[] => rendered.get(chart) ?? [];

  describe.each(WORKLOAD_CHARTS)('%s', (chart) => {
    it('runs every container non-root, read-only, without privileges and with requests and limits', () => {
      for (const workload of manifests(chart).filter(isWorkload)) {
        const pod = podSpecOf(workload);
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
        expect(pod.volumes?.find((v) => v.name === 'tmp')?.emptyDir).toBeDefined();
        for (const container of pod.containers) {
          expect(container.securityContext, `${workload.metadata.name}/${container.name}`).toMatchObject({
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          });
          expect(container.volumeMounts).toContainEqual(expect.objectContaining({ name: 'tmp', mountPath: '/tmp' }));
          expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
          expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
        }
      }
    });

    it('probes /healthz for liveness and /readyz for readiness', () => {
      for (const deployment of byKind(manifests(chart), 'Deployment')) {
        const [container] = podSpecOf(deployment).containers;
        expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
        expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
      }
    });

    it('mounts a Kubernetes API token only into the operator', () => {
      for (const workload of manifests(chart).filter(isWorkload)) {
        expect(podSpecOf(workload).automountServiceAccountToken).toBe(workload.metadata.name === 'lanyard-operator');
      }
      for (const account of byKind(manifests(chart), 'ServiceAccount')) {
        expect((account as { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(chart === 'lanyard-operator');
      }
    });

    it('creates no Secret and reads secrets as <VAR>_FILE mounts of the existing Secret', () => {
      expect(byKind(manifests(chart), 'Secret')).toEqual([]);
      for (const deployment of byKind(manifests(chart), 'Deployment')) {
        const pod = podSpecOf(deployment);
        const volume = pod.volumes?.find((v) => v.name === 'secrets');
        expect(volume?.secret?.secretName).toBe('lanyard');
        const fileEnv = (pod.containers[0]?.env ?? []).filter((e) => e.name.endsWith('_FILE'));
        expect(fileEnv.length).toBeGreaterThan(0);
        for (const item of volume?.secret?.items ?? []) {
          expect(fileEnv).toContainEqual({ name: `${item.path}_FILE`, value: `/var/run/secrets/lanyard/${item.path}` });
        }
      }
    });

    it("ships the component's Grafana dashboards exactly as grafana/dashboards_json has them (the API's with the Identity Monitor)", () => {
      const [configMap] = byKind(manifests(chart), 'ConfigMap').filter((m) => m.metadata.labels?.grafana_dashboard === '1');
      expect(configMap?.metadata.annotations?.grafana_folder).toBe('Lanyard');
      const files = Object.entries(configMap?.data ?? {});
      expect(files.map(([file]) => file)).toEqual(chart === 'lanyard-api' ? ['lanyard-api.json', 'lanyard-identity.json'] : [`${chart}.json`]);
      for (const [file, json] of files) expect(json, file).toBe(readFileSync(join(repoRoot, 'grafana/dashboards_json', file), 'utf8'));
    });

    it("carries the component's group of prometheus/alerts.yml in its PrometheusRule", () => {
      const alerts = parse(readFileSync(join(repoRoot, 'prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ name: string }> };
      const [rule] = byKind(manifests(chart), 'PrometheusRule');
      expect(rule?.spec?.groups).toEqual(alerts.groups.filter((g) => g.name === chart));
    });
  });

  it('lanyard-api: a migration Job runs as a pre-install/pre-upgrade hook', () => {
    const [job] = byKind(manifests('lanyard-api'), 'Job');
    expect(job?.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade' });
    expect(podSpecOf(job as Manifest).containers[0]?.args).toEqual(['dist/migrate.js']);
  });

  it('lanyard-api: replicas come from replicaCount only while autoscaling is off', () => {
    const replicas = (args: string[]) => byKind(renderChart(dir, 'lanyard-api', setArgs(args)), 'Deployment')[0]?.spec?.replicas;
    expect(replicas(['autoscaling.enabled=false', 'replicaCount=3'])).toBe(3);
    expect(replicas(['autoscaling.enabled=true', 'replicaCount=3'])).toBeUndefined();
  });

  it('lanyard-api: --set overrides reach the manifests', () => {
    const out = renderChart(dir, 'lanyard-api', setArgs([
      'image.repository=registry.example.com/lanyard,image.tag=1.2.3',
      'config.LOG_LEVEL=debug,config.PUBLIC_URL=https://id.example.org',
      'secrets.existingSecret=lanyard-prod',
      'ingress.enabled=true,ingress.host=id.example.org,ingress.tls.enabled=true',
      'nodeArgs[0]=--max-old-space-size=384',
    ]));
    const pod = podSpecOf(byKind(out, 'Deployment')[0] as Manifest);
    expect(pod.containers[0]?.image).toBe('registry.example.com/lanyard:1.2.3');
    expect(pod.containers[0]?.args).toEqual(['--max-old-space-size=384', 'dist/api.js']);
    expect(pod.volumes?.find((v) => v.name === 'secrets')?.secret?.secretName).toBe('lanyard-prod');
    expect(byKind(out, 'ConfigMap')[0]?.data).toMatchObject({ LOG_LEVEL: 'debug', PUBLIC_URL: 'https://id.example.org' });
    expect(byKind(out, 'Ingress')[0]?.spec).toMatchObject({ rules: [{ host: 'id.example.org' }], tls: [{ hosts: ['id.example.org'] }] });
  });

  it('lanyard-api: the default PUBLIC_URL is the in-cluster Service URL of the release namespace', () => {
    expect(byKind(renderChart(dir, 'lanyard-api'), 'ConfigMap')[0]?.data?.PUBLIC_URL).toBe('http://lanyard-api.lanyard.svc:8000');
  });

  it('lanyard-operator: installs the IdentityTenant CRD from crds/', () => {
    const crd = parse(readFileSync(join(dir, 'lanyard-operator/crds/identitytenants.lanyard.dev.yaml'), 'utf8')) as unknown;
    expect(crd).toEqual(JSON.parse(JSON.stringify(identityTenantCrd)));
  });
});
