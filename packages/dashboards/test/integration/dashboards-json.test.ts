import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardExpressions, dashboards, resolveGrafanaVariables } from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const committed = join(repoRoot, 'grafana/dashboards_json');

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after this file's tests. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lanyard-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

function run(command: string, args: string[], cwd = repoRoot) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`${command} could not be started: ${result.error.message}`);
  return result;
}

function promtool(): string {
  const found = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'promtool')).find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (found === undefined) throw new Error('promtool is not installed (apt-get install prometheus); CI provisions it, so this test fails instead of skipping.');
  return found;
}

describe('grafana/dashboards_json', () => {
  it('is exactly what the generator writes (run `npm run -w @lanyard/dashboards generate` after a change)', () => {
    const out = tempDir('dashboards');
    const result = run('npx', ['tsx', 'packages/dashboards/src/bin/write-dashboards.ts', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(readdirSync(committed).sort());
    for (const file of readdirSync(out)) expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(committed, file), 'utf8'));
  });

  it('every PromQL query parses with the real Prometheus parser (promtool check rules)', () => {
    // Each query becomes a recording rule; promtool parses every expression in the file.
    const queries = Object.values(dashboards).flatMap(dashboardExpressions).filter((q) => q.language === 'promql');
    expect(queries.length).toBeGreaterThan(20);
    const rules = queries.map((q, index) => `      - record: lanyard:dashboard_query_${index}\n        expr: ${JSON.stringify(resolveGrafanaVariables(q.expr))}`);
    const dir = tempDir('promql');
    writeFileSync(join(dir, 'queries.yml'), `groups:\n  - name: dashboard-queries\n    rules:\n${rules.join('\n')}\n`);
    const result = run(promtool(), ['check', 'rules', 'queries.yml'], dir);
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${queries.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('a broken query is reported by that check (it has teeth)', () => {
    const dir = tempDir('promql');
    writeFileSync(join(dir, 'queries.yml'), 'groups:\n  - name: q\n    rules:\n      - record: broken\n        expr: "sum by (route (rate(x[5m]))"\n');
    expect(run(promtool(), ['check', 'rules', 'queries.yml'], dir).status).not.toBe(0);
  });
});
