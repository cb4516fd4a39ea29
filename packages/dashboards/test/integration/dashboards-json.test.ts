import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { type Dashboard, allDashboards, dashboardExpressions, dashboardJson, resolveGrafanaVariables } from '../../src/index.js';

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

/**
 * Type-checks dashboard JSON against Grafana's own dashboard model (`Dashboard` of @grafana/schema,
 * generated from Grafana's CUE schema) with the TypeScript compiler: each model becomes an object
 * literal assigned to that type (string enums read as their values, as in JSON), so a wrong type, a missing required field or an unknown property
 * (excess-property check) is a diagnostic. Returns the diagnostics as text.
 */
function grafanaSchemaErrors(models: ReadonlyMap<string, string>): string[] {
  const dir = join(repoRoot, 'packages/dashboards/.schema-check');
  // JSON has no enums: JsonOf turns the schema's string enums (ThresholdsMode.Absolute) into their values ('absolute').
  const prelude = [
    "import type { Dashboard } from '@grafana/schema';",
    'type JsonOf<T> = T extends string ? `${T}` : T extends readonly (infer U)[] ? JsonOf<U>[] : T extends object ? { [K in keyof T]: JsonOf<T[K]> } : T;',
  ].join('\n');
  const files = new Map([...models].map(([name, json]) => [join(dir, `${name}.ts`), `${prelude}\nexport const dashboard: JsonOf<Dashboard> = ${json};\n`]));
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [] };
  // The files exist only in memory; everything else (node_modules) is read from disk.
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile.call(host, name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files.keys()].flatMap((name) => {
    const source = program.getSourceFile(name);
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
      const at = d.file === undefined || d.start === undefined ? '' : `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`;
      return `${name}${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  });
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
    const queries = allDashboards.flatMap(dashboardExpressions).filter((q) => q.language === 'promql');
    expect(queries.length).toBeGreaterThan(40);
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

  it('every dashboard is a valid Grafana dashboard model (the Dashboard type of @grafana/schema)', () => {
    const models = new Map(allDashboards.map((model) => [model.uid, dashboardJson(model)]));
    expect(models.size).toBe(4);
    expect(grafanaSchemaErrors(models)).toEqual([]);
  });

  it('a model Grafana would not accept is reported by that check (it has teeth)', () => {
    const [first] = allDashboards as [Dashboard];
    const check = (broken: unknown) => grafanaSchemaErrors(new Map([['broken', JSON.stringify(broken, null, 2)]])).join('\n');
    expect(check({ ...first, schemaVersion: '39' })).toMatch(/Type 'string' is not assignable to type 'number'/);
    expect(check({ ...first, colour: 'blue' })).toMatch(/"colour"' does not exist in type/);
    expect(check({ ...first, panels: [{ ...first.panels[1], gridPos: { x: 0, y: 0 } }] })).toMatch(/missing the following properties .*: h, w/);
  });
});
