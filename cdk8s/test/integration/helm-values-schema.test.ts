import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChartName, prepareCharts } from '../support/charts.js';
import { helmBinary, PROVISION_TIMEOUT_MS, run } from '../support/tools.js';

// values.schema.json is enforced by helm itself: `helm install/upgrade/template/lint` refuse
// values that violate it, before anything reaches the cluster.
const invalid: ReadonlyArray<{ chart: ChartName; set: string; why: string; path: RegExp }> = [
  { chart: 'lanyard-api', set: 'replicaCount=many', why: 'wrong type', path: /replicaCount/ },
  { chart: 'lanyard-api', set: 'replicaCount=-1', why: 'below the minimum', path: /replicaCount/ },
  { chart: 'lanyard-api', set: 'imageTag=1.0', why: 'unknown top-level key (a typo)', path: /imageTag/ },
  { chart: 'lanyard-api', set: 'image.pullPolicy=Sometimes', why: 'not an allowed value', path: /pullPolicy/ },
  { chart: 'lanyard-api', set: 'config.KEY_ENCRYPTION_KEY=not-in-a-configmap', why: 'a secret in plain config', path: /KEY_ENCRYPTION_KEY/ },
  { chart: 'lanyard-api', set: 'config.PORT=9000', why: 'a variable the chart fixes', path: /PORT/ },
  { chart: 'lanyard-api', set: 'secrets.existingSecret=', why: 'no Secret named', path: /existingSecret/ },
  { chart: 'lanyard-api', set: 'secrets.files.DATABASE_URL=null', why: 'a required secret unmapped', path: /DATABASE_URL/ },
  { chart: 'lanyard-api', set: 'autoscaling.targetCPUUtilizationPercentage=150', why: 'above 100 %', path: /targetCPUUtilizationPercentage/ },
  { chart: 'lanyard-api', set: 'podDisruptionBudget.minAvailable=half', why: 'neither a number nor a percentage', path: /minAvailable/ },
  { chart: 'lanyard-api', set: 'ingress.host=Not A Host', why: 'not a DNS name', path: /host/ },
  { chart: 'lanyard-worker', set: 'secrets.files.BOOTSTRAP_ADMIN_CLIENT_SECRET=x', why: 'not a variable the worker reads', path: /BOOTSTRAP_ADMIN_CLIENT_SECRET/ },
  { chart: 'lanyard-worker', set: 'resources.requests.cpu=lots', why: 'not a quantity', path: /cpu/ },
  { chart: 'lanyard-operator', set: 'nodeArgs[0]=rm -rf', why: 'not a Node.js flag', path: /nodeArgs/ },
  { chart: 'lanyard-operator', set: 'serviceMonitor.enabled=yes please', why: 'not a boolean', path: /enabled/ },
  { chart: 'lanyard', set: 'lanyard-api.replicaCount=-1', why: "a subchart's schema, through the umbrella", path: /replicaCount/ },
  { chart: 'lanyard', set: 'lanyard-worker.enabled=maybe', why: 'a subchart switch that is not a boolean', path: /enabled/ },
];

describe('values.schema.json rejects invalid values', () => {
  let dir: string;
  beforeAll(() => {
    dir = prepareCharts();
  }, PROVISION_TIMEOUT_MS);

  for (const { chart, set, why, path } of invalid) {
    it(`${chart}: --set ${set} (${why})`, () => {
      const result = run(helmBinary(), ['template', 'lanyard', join(dir, chart), '--set', set]);
      expect(result.status, result.stdout.slice(0, 200)).not.toBe(0);
      expect(result.stderr).toMatch(/values don't meet the specifications of the schema/);
      expect(result.stderr).toMatch(path);
    });
  }

  it('accepts the overrides a user is expected to make', () => {
    const result = run(helmBinary(), [
      'template', 'lanyard', join(dir, 'lanyard-api'),
      '--set', 'image.repository=registry.example.com/lanyard,image.tag=1.2.3,replicaCount=4,autoscaling.enabled=false',
      '--set', 'config.LOG_LEVEL=debug,config.RATE_LIMIT_TOKEN_PER_MINUTE=1200,podDisruptionBudget.minAvailable=50%',
      '--set', 'secrets.existingSecret=lanyard-prod,secrets.files.SMTP_URL=null',
      '--set', 'ingress.enabled=true,ingress.host=id.example.org',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
