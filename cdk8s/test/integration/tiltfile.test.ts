import { readFileSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { KIND_NODE_PORTS } from '../../src/dev/node-ports.js';
import { helmBinary, mustRun, PROVISION_TIMEOUT_MS, repoRoot, tempDir, tiltBinary } from '../support/tools.js';

interface TiltManifest {
  Name: string;
  ResourceDependencies: string[] | null;
  ImageTargets: Array<{ LiveUpdateSpec?: { syncs?: Array<{ localPath: string; containerPath: string }>; execs?: Array<{ args: string[] }> } }> | null;
  DeployTarget: { yaml?: string; portForwardTemplateSpec?: { forwards: Array<{ localPort: number; containerPort: number }> }; Links?: Array<{ URL: { Host: string } }> } | null;
}

interface TiltfileResult {
  Error: string | null;
  Manifests: TiltManifest[];
  DefaultRegistry: { host: string } | null;
}

/**
 * The Tiltfile evaluated by a real tilt (built from github.com/tilt-dev/tilt v0.34.0):
 * `tilt alpha tiltfile-result` runs the Starlark, calls `helm template` for every chart and
 * prints the resulting resources as JSON, without a cluster or a Docker engine.
 */
describe('Tiltfile', () => {
  let result: TiltfileResult;
  const manifest = (name: string): TiltManifest => {
    const found = result.Manifests.find((m) => m.Name === name);
    if (found === undefined) throw new Error(`no Tilt resource ${name}; have ${result.Manifests.map((m) => m.Name).join(', ')}`);
    return found;
  };
  const objects = (name: string) => parseAllDocuments(manifest(name).DeployTarget?.yaml ?? '').map((d) => d.toJS() as { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: { ports?: Array<{ nodePort?: number }> } });

  beforeAll(() => {
    // Tilt's helm() runs `helm` from PATH; ours lives in the test-tool cache.
    const bin = tempDir('tilt-path');
    symlinkSync(helmBinary(), join(bin, 'helm'));
    const tilt = tiltBinary();
    const output = mustRun(tilt, ['alpha', 'tiltfile-result', '-f', join(repoRoot, 'Tiltfile')], {
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, TILT_DISABLE_ANALYTICS: '1' },
    });
    result = JSON.parse(output) as TiltfileResult;
  }, PROVISION_TIMEOUT_MS);

  it('loads without errors and leaves nothing uncategorized', () => {
    expect(result.Error).toBeNull();
    expect(result.Manifests.map((m) => m.Name).sort()).toEqual(
      ['charts', 'grafana', 'lanyard-api', 'lanyard-api-migrate', 'lanyard-operator', 'lanyard-worker', 'loki', 'mailpit', 'namespace', 'postgres', 'prometheus', 'alloy', 'redis', 'sample-tenant'].sort(),
    );
  });

  it('builds the Lanyard image with live update for every Lanyard workload', () => {
    for (const name of ['lanyard-api', 'lanyard-api-migrate', 'lanyard-worker', 'lanyard-operator']) {
      const [image] = manifest(name).ImageTargets ?? [];
      expect(image?.LiveUpdateSpec?.syncs?.map((s) => s.containerPath)).toEqual(['/src/packages', '/src/services', '/src/operator']);
      expect(image?.LiveUpdateSpec?.execs?.[0]?.args.join(' ')).toContain('node scripts/build-images.mjs dist');
    }
    expect(result.DefaultRegistry?.host).toBe('localhost:5001');
  });

  it('orders start-up with resource dependencies', () => {
    expect(manifest('lanyard-api-migrate').ResourceDependencies).toEqual(['postgres']);
    expect(manifest('lanyard-api').ResourceDependencies).toEqual(expect.arrayContaining(['lanyard-api-migrate', 'redis', 'mailpit']));
    expect(manifest('lanyard-worker').ResourceDependencies).toEqual(expect.arrayContaining(['lanyard-api-migrate', 'redis']));
    expect(manifest('lanyard-operator').ResourceDependencies).toEqual(['lanyard-api']);
    expect(manifest('sample-tenant').ResourceDependencies).toEqual(['lanyard-operator']);
    expect(manifest('grafana').ResourceDependencies).toEqual(['prometheus', 'loki']);
  });

  it('forwards Mailpit and Loki, and links the NodePorts kind maps to localhost', () => {
    const forwards = (name: string) => manifest(name).DeployTarget?.portForwardTemplateSpec?.forwards.map((f) => `${f.localPort}:${f.containerPort}`);
    expect(forwards('mailpit')).toEqual(['8025:8025', '1025:1025']);
    expect(forwards('loki')).toEqual(['3100:3100']);

    const kind = parse(readFileSync(join(repoRoot, 'kind-config.yaml'), 'utf8')) as { nodes: Array<{ extraPortMappings: Array<{ containerPort: number; hostPort: number }> }> };
    const mappings = kind.nodes[0]?.extraPortMappings.map((m) => `${m.hostPort}->${m.containerPort}`).sort();
    expect(mappings).toEqual(Object.values(KIND_NODE_PORTS).map((p) => `${p.hostPort}->${p.nodePort}`).sort());

    const served = [
      ['lanyard-api', KIND_NODE_PORTS.api],
      ['lanyard-worker', KIND_NODE_PORTS.queueDashboard],
      ['grafana', KIND_NODE_PORTS.grafana],
      ['prometheus', KIND_NODE_PORTS.prometheus],
    ] as const;
    for (const [name, { nodePort, hostPort }] of served) {
      const service = objects(name).find((o) => o.kind === 'Service');
      expect(service?.spec?.ports?.[0]?.nodePort, name).toBe(nodePort);
      expect(manifest(name).DeployTarget?.Links?.[0]?.URL.Host).toBe(`localhost:${hostPort}`);
    }
  });

  it('runs the observability stack in-cluster with dashboards through the Grafana sidecar label', () => {
    const grafana = JSON.stringify(objects('grafana'));
    expect(grafana).toContain('"name":"LABEL","value":"grafana_dashboard"');
    for (const name of ['lanyard-api', 'lanyard-worker', 'lanyard-operator']) {
      const dashboard = objects(name).find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${name}-dashboard`);
      expect(dashboard?.metadata.labels?.grafana_dashboard).toBe('1');
    }
    for (const name of ['postgres', 'redis', 'prometheus', 'loki', 'alloy']) expect(objects(name).length).toBeGreaterThan(0);
  });

  it('applies the sample IdentityTenant and the CRD it needs', () => {
    expect(objects('sample-tenant').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['IdentityTenant/acme']);
    expect(objects('lanyard-operator').map((o) => o.kind)).toContain('CustomResourceDefinition');
  });
});
