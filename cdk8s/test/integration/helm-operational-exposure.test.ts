import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_METRICS_PORT, API_PORT } from '../../src/charts/chart-meta.js';
import { devPrometheusConfig } from '../../src/dev/dev-configs.js';
import { DEV_CREDENTIALS } from '../../src/dev/dev-credentials.js';
import { type ChartName, everythingOn, prepareCharts, renderChart, renderChartText, setArgs } from '../support/charts.js';
import { type Manifest, byKind, podSpecOf } from '../support/manifests.js';
import { PROVISION_TIMEOUT_MS } from '../support/tools.js';

interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
}
interface IngressPath {
  path: string;
  backend: { service: { name: string; port: { number?: number; name?: string } } };
}

const servicePorts = (manifests: readonly Manifest[]): ServicePort[] => (byKind(manifests, 'Service')[0]?.spec as { ports: ServicePort[] }).ports;
const configData = (manifests: readonly Manifest[], name: string): Record<string, string> =>
  byKind(manifests, 'ConfigMap').find((m) => m.metadata.name === name)?.data ?? {};

// The security review's "operational exposure" findings, as `helm template` renders them.
describe('operational exposure of the charts', () => {
  let dir: string;
  const render = (chart: ChartName, args: readonly string[] = []) => renderChart(dir, chart, setArgs(args));
  beforeAll(() => {
    dir = prepareCharts();
  }, PROVISION_TIMEOUT_MS);

  describe('/metrics lists every tenant, so the API serves it only on its own port', () => {
    it('the API container and Service have a second port, metrics (9464), next to http (8000)', () => {
      const manifests = render('lanyard-api');
      const [container] = podSpecOf(byKind(manifests, 'Deployment')[0] as Manifest).containers;
      expect(container?.ports).toEqual([
        { name: 'http', containerPort: API_PORT },
        { name: 'metrics', containerPort: API_METRICS_PORT },
      ]);
      expect(container?.env).toContainEqual({ name: 'METRICS_PORT', value: String(API_METRICS_PORT) });
      expect(container?.env).toContainEqual({ name: 'PORT', value: String(API_PORT) });
      expect(servicePorts(manifests)).toEqual([
        { name: 'http', port: API_PORT, targetPort: API_PORT },
        { name: 'metrics', port: API_METRICS_PORT, targetPort: API_METRICS_PORT },
      ]);
    });

    it('the API ServiceMonitor scrapes the metrics port; the worker and operator keep scraping http', () => {
      const endpoints = (chart: ChartName) => (byKind(render(chart, everythingOn(chart)), 'ServiceMonitor')[0]?.spec as { endpoints: unknown[] }).endpoints;
      expect(endpoints('lanyard-api')).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
      for (const chart of ['lanyard-worker', 'lanyard-operator'] as const) {
        expect(endpoints(chart), chart).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
        expect(servicePorts(render(chart)).map((p) => p.name), chart).toEqual(['http']);
      }
    });

    it('the Ingress routes / to the http port only', () => {
      const [ingress] = byKind(render('lanyard-api', ['ingress.enabled=true', 'ingress.host=id.example.org']), 'Ingress');
      const rules = (ingress?.spec as { rules: Array<{ http: { paths: IngressPath[] } }> }).rules;
      const paths = rules.flatMap((r) => r.http.paths);
      expect(paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'lanyard-api', port: { number: API_PORT } } } }]);
      expect(JSON.stringify(ingress)).not.toContain(String(API_METRICS_PORT));
    });

    it('METRICS_PORT is fixed by the chart, like PORT (the scrape configs depend on 9464)', () => {
      expect(() => renderChartText(dir, 'lanyard-api', setArgs(['config.METRICS_PORT=9000']))).toThrow(/METRICS_PORT/);
    });

    it('the dev stack Prometheus scrapes lanyard-api:9464, the Service port named metrics', () => {
      const config = parse(devPrometheusConfig()) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
      const targets = Object.fromEntries(config.scrape_configs.map((s) => [s.job_name, s.static_configs.flatMap((c) => c.targets)]));
      expect(targets).toMatchObject({ api: [`lanyard-api:${API_METRICS_PORT}`], worker: ['lanyard-worker:5555'], operator: ['lanyard-operator:8081'] });
      const rendered = byKind(render('lanyard-dev'), 'ConfigMap').find((m) => m.metadata.name === 'prometheus');
      expect(rendered?.data?.['prometheus.yml']).toBe(devPrometheusConfig());
    });
  });

  describe('TRUST_PROXY_HOPS follows the Ingress, so per-IP limits see clients, not the controller', () => {
    const hops = (chart: ChartName, args: readonly string[]) => configData(render(chart, args), 'lanyard-api-config').TRUST_PROXY_HOPS;

    it('is 0 without the Ingress and 1 with it', () => {
      expect(hops('lanyard-api', [])).toBe('0');
      expect(hops('lanyard-api', ['ingress.enabled=true'])).toBe('1');
      expect(hops('lanyard', ['lanyard-api.ingress.enabled=true'])).toBe('1');
    });

    it('takes ingress.trustedProxyHops (e.g. a load balancer in front of the controller) only while the Ingress is on', () => {
      expect(hops('lanyard-api', ['ingress.enabled=true', 'ingress.trustedProxyHops=2'])).toBe('2');
      expect(hops('lanyard-api', ['ingress.enabled=false', 'ingress.trustedProxyHops=2'])).toBe('0');
    });

    it('config.TRUST_PROXY_HOPS, when set, wins (a proxy that is not the chart Ingress)', () => {
      expect(hops('lanyard-api', ['config.TRUST_PROXY_HOPS=3'])).toBe('3');
      expect(hops('lanyard-api', ['ingress.enabled=true', 'config.TRUST_PROXY_HOPS=0'])).toBe('0');
    });

    it('rejects hop counts the API would refuse at start-up', () => {
      expect(() => renderChartText(dir, 'lanyard-api', setArgs(['ingress.trustedProxyHops=11']))).toThrow(/trustedProxyHops/);
      expect(() => renderChartText(dir, 'lanyard-api', setArgs(['ingress.trustedProxyHops=-1']))).toThrow(/trustedProxyHops/);
    });
  });

  describe('a Redis password travels in REDIS_URL from the Secret, never through a ConfigMap', () => {
    const PASSWORD = 'redis-s3cret-password';
    const prodArgs = ['secrets.existingSecret=lanyard-prod', 'secrets.files.REDIS_URL=redis-url-with-password'];

    for (const chart of ['lanyard-api', 'lanyard-worker'] as const) {
      it(`${chart}: REDIS_URL_FILE points at the mounted key of the existing Secret`, () => {
        const manifests = render(chart, prodArgs);
        const pod = podSpecOf(byKind(manifests, 'Deployment')[0] as Manifest);
        const secret = pod.volumes?.find((v) => v.name === 'secrets')?.secret;
        expect(secret?.secretName).toBe('lanyard-prod');
        expect(secret?.items).toContainEqual({ key: 'redis-url-with-password', path: 'REDIS_URL' });
        expect(pod.containers[0]?.env).toContainEqual({ name: 'REDIS_URL_FILE', value: '/var/run/secrets/lanyard/REDIS_URL' });
        expect(pod.containers[0]?.env?.map((e) => e.name)).not.toContain('REDIS_URL');
        for (const configMap of byKind(manifests, 'ConfigMap')) {
          expect(Object.keys(configMap.data ?? {}).filter((key) => key.startsWith('REDIS_') && key !== 'REDIS_KEY_PREFIX'), configMap.metadata.name).toEqual([]);
        }
        expect(byKind(manifests, 'Secret')).toEqual([]);
      });

      it(`${chart}: refuses a Redis URL or password in plain config`, () => {
        for (const set of [`config.REDIS_URL=redis://:${PASSWORD}@redis:6379`, `config.REDIS_PASSWORD=${PASSWORD}`]) {
          expect(() => renderChartText(dir, chart, setArgs([set])), set).toThrow(/values don't meet the specifications of the schema/);
        }
      });
    }

    it('lanyard-dev: Redis requires the password from the Secret, and the Secret hands it on in redis-url', () => {
      const manifests = render('lanyard-dev');
      const redis = podSpecOf(byKind(manifests, 'Deployment').find((m) => m.metadata.name === 'redis') as Manifest).containers[0];
      expect(redis?.args?.slice(-2)).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
      expect(redis?.env).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'lanyard', key: 'redis-password' } } }]);
      const [secret] = byKind(manifests, 'Secret');
      expect(secret?.stringData).toMatchObject({
        'redis-password': DEV_CREDENTIALS.redisPassword,
        'redis-url': `redis://:${DEV_CREDENTIALS.redisPassword}@redis:6379`,
      });
      // The password lives in the Secret only: not in a ConfigMap, not in any pod spec.
      for (const manifest of manifests.filter((m) => m.kind !== 'Secret')) {
        expect(JSON.stringify(manifest), `${manifest.kind}/${manifest.metadata.name}`).not.toContain(DEV_CREDENTIALS.redisPassword);
      }
    });
  });
});
