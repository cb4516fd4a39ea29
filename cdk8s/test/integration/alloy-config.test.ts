import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { devAlloyConfig } from '../../src/dev/dev-configs.js';
import { helmBinary, mustRun, PROVISION_TIMEOUT_MS, repoRoot, run, alloySyntaxBinary, tempDir } from '../support/tools.js';

interface Attribute {
  value?: unknown;
  expression: string;
  references: string[];
}
interface Block {
  name: string;
  label?: string;
  attributes: Record<string, Attribute>;
  blocks: Block[];
}

/**
 * The arguments (attributes) and blocks the components we use accept, their required ones, and
 * what they export, from Alloy's reference documentation (v1.x). Alloy itself is not built here
 * (see docs/observability.md), so this is how the check catches a misspelt argument or a reference
 * to an export that does not exist; the syntax module checks everything else it can.
 */
const COMPONENTS: Record<string, { args: string[]; required: string[]; blocks: Record<string, { args: string[]; required: string[] }>; exports: string[] }> = {
  'discovery.docker': { args: ['host', 'port', 'host_networking_host', 'refresh_interval', 'match_first_network'], required: ['host'], blocks: {}, exports: ['targets'] },
  'discovery.kubernetes': {
    args: ['api_server', 'role', 'kubeconfig_file'],
    required: ['role'],
    blocks: { selectors: { args: ['role', 'label', 'field'], required: ['role'] }, namespaces: { args: ['own_namespace', 'names'], required: [] } },
    exports: ['targets'],
  },
  'discovery.relabel': {
    args: ['targets'],
    required: ['targets'],
    blocks: { rule: { args: ['source_labels', 'separator', 'regex', 'modulus', 'target_label', 'replacement', 'action'], required: [] } },
    exports: ['output', 'rules'],
  },
  'local.file_match': { args: ['path_targets', 'sync_period', 'ignore_older_than'], required: ['path_targets'], blocks: {}, exports: ['targets'] },
  'loki.source.docker': { args: ['forward_to', 'host', 'labels', 'targets', 'refresh_interval', 'relabel_rules'], required: ['forward_to', 'host', 'targets'], blocks: {}, exports: [] },
  'loki.source.file': { args: ['targets', 'forward_to', 'encoding', 'tail_from_end', 'legacy_positions_file'], required: ['targets', 'forward_to'], blocks: {}, exports: [] },
  'loki.process': {
    args: ['forward_to'],
    required: ['forward_to'],
    blocks: {
      'stage.cri': { args: ['max_partial_lines', 'max_partial_line_size', 'max_partial_line_size_truncate'], required: [] },
      'stage.json': { args: ['expressions', 'source', 'drop_malformed'], required: ['expressions'] },
      'stage.timestamp': { args: ['source', 'format', 'fallback_formats', 'location', 'action_on_failure'], required: ['source', 'format'] },
      'stage.labels': { args: ['values'], required: [] },
      'stage.label_drop': { args: ['values'], required: [] },
    },
    exports: ['receiver'],
  },
  'loki.write': { args: ['external_labels', 'max_streams'], required: [], blocks: { endpoint: { args: ['url', 'name', 'headers', 'batch_wait', 'batch_size', 'remote_timeout', 'tenant_id'], required: ['url'] } }, exports: ['receiver'] },
};
/** Standard-library functions a configuration may call. */
const FUNCTIONS = ['sys.env'];

const check = (file: string) => run(alloySyntaxBinary(), ['check', file]);
const blocksOf = (file: string): Block[] => JSON.parse(mustRun(alloySyntaxBinary(), ['json', file])) as Block[];
const component = (blocks: Block[], name: string, label: string): Block => {
  const found = blocks.find((b) => b.name === name && b.label === label);
  if (found === undefined) throw new Error(`no ${name} "${label}"`);
  return found;
};
const value = (block: Block, attribute: string): unknown => block.attributes[attribute]?.value;

/** Every problem the component table and the references between components reveal. */
function semanticProblems(blocks: Block[]): string[] {
  const problems: string[] = [];
  const defined = new Set(blocks.map((b) => `${b.name}.${b.label ?? ''}`));
  for (const block of blocks) {
    const where = `${block.name} "${block.label ?? ''}"`;
    const spec = COMPONENTS[block.name];
    if (spec === undefined) {
      problems.push(`${where}: unknown component`);
      continue;
    }
    const attributeNames = Object.keys(block.attributes);
    for (const name of attributeNames) if (!spec.args.includes(name)) problems.push(`${where}: unknown argument ${name}`);
    for (const name of spec.required) if (!attributeNames.includes(name)) problems.push(`${where}: missing ${name}`);
    for (const child of block.blocks) {
      const childSpec = spec.blocks[child.name];
      if (childSpec === undefined) {
        problems.push(`${where}: unknown block ${child.name}`);
        continue;
      }
      for (const name of Object.keys(child.attributes)) if (!childSpec.args.includes(name)) problems.push(`${where} ${child.name}: unknown argument ${name}`);
      for (const name of childSpec.required) if (!(name in child.attributes)) problems.push(`${where} ${child.name}: missing ${name}`);
    }
    const attributes = [...Object.values(block.attributes), ...block.blocks.flatMap((b) => Object.values(b.attributes))];
    for (const reference of attributes.flatMap((a) => a.references)) {
      if (FUNCTIONS.includes(reference)) continue;
      const parts = reference.split('.');
      const exported = parts.pop() ?? '';
      const label = parts.pop() ?? '';
      const name = parts.join('.');
      if (!defined.has(`${name}.${label}`)) problems.push(`${where}: refers to ${reference}, but there is no ${name} "${label}"`);
      else if (!(COMPONENTS[name]?.exports ?? []).includes(exported)) problems.push(`${where}: ${name} exports no ${exported}`);
    }
  }
  return problems;
}

describe('alloy-config.alloy (checked with Alloy\'s own syntax module)', () => {
  let blocks: Block[];
  beforeAll(() => {
    blocks = blocksOf(join(repoRoot, 'alloy-config.alloy'));
  }, PROVISION_TIMEOUT_MS);

  it('parses and is formatted exactly as `alloy fmt` writes it', () => {
    const result = check(join(repoRoot, 'alloy-config.alloy'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('uses only arguments and blocks its components accept, and refers only to exports that exist', () => {
    expect(blocks.map((b) => b.name)).toEqual(['discovery.docker', 'discovery.relabel', 'loki.source.docker', 'loki.process', 'loki.write']);
    expect(semanticProblems(blocks)).toEqual([]);
  });

  it('is equivalent to promtail-config.yaml: same containers, labels, JSON fields, timestamp and Loki', () => {
    const promtail = parse(readFileSync(join(repoRoot, 'promtail-config.yaml'), 'utf8')) as {
      clients: Array<{ url: string }>;
      scrape_configs: Array<{ docker_sd_configs: Array<{ host: string; refresh_interval: string }>; relabel_configs: Array<Record<string, unknown>>; pipeline_stages: Array<Record<string, Record<string, unknown>>> }>;
    };
    const [scrape] = promtail.scrape_configs;
    const stage = (name: string) => scrape?.pipeline_stages.find((s) => name in s)?.[name];
    const docker = component(blocks, 'discovery.docker', 'containers');
    expect(value(docker, 'host')).toBe(scrape?.docker_sd_configs[0]?.host);
    expect(value(docker, 'refresh_interval')).toBe(scrape?.docker_sd_configs[0]?.refresh_interval);
    const rules = component(blocks, 'discovery.relabel', 'lanyard').blocks.map((rule) => Object.fromEntries(Object.entries(rule.attributes).map(([k, a]) => [k, a.value])));
    expect(rules).toEqual(scrape?.relabel_configs);
    const process = component(blocks, 'loki.process', 'lanyard');
    const stages = Object.fromEntries(process.blocks.map((b) => [b.name, Object.fromEntries(Object.entries(b.attributes).map(([k, a]) => [k, a.value]))]));
    expect(stages['stage.json']).toEqual(stage('json'));
    expect(stages['stage.timestamp']).toEqual(stage('timestamp'));
    expect(Object.keys(stages['stage.labels']?.values as object).sort()).toEqual(Object.keys(stage('labels') ?? {}).sort());
    expect(value(component(blocks, 'loki.write', 'loki').blocks[0] as Block, 'url')).toBe(promtail.clients[0]?.url);
  });

  it('labels streams by service, level and container only (never reqId): the container from discovery, service and level from the line', () => {
    const relabelled = component(blocks, 'discovery.relabel', 'lanyard').blocks.map((rule) => value(rule, 'target_label')).filter((l): l is string => typeof l === 'string');
    expect(relabelled.sort()).toEqual(['container', 'service']);
    const labels = component(blocks, 'loki.process', 'lanyard').blocks.find((b) => b.name === 'stage.labels');
    expect(Object.keys((labels?.attributes.values?.value ?? {}) as object).sort()).toEqual(['level', 'service']);
    expect(readFileSync(join(repoRoot, 'alloy-config.alloy'), 'utf8')).not.toMatch(/reqId\s*=/);
    // The one-shot migration job is shipped under the name its lines carry and compose gives it.
    expect(value(component(blocks, 'discovery.relabel', 'lanyard').blocks[0] as Block, 'regex')).toBe('api|worker|migrate');
  });

  it('the checks have teeth: a syntax error, unformatted text, an unknown argument and a dangling reference are reported', () => {
    const dir = tempDir('alloy');
    const source = readFileSync(join(repoRoot, 'alloy-config.alloy'), 'utf8');
    writeFileSync(join(dir, 'broken.alloy'), source.replace('loki.write "loki" {', 'loki.write "loki" '));
    expect(check(join(dir, 'broken.alloy')).stderr).toMatch(/broken\.alloy:\d+:\d+: /);
    writeFileSync(join(dir, 'unformatted.alloy'), source.replace('\tregex         = "api|worker|migrate"', '  regex = "api|worker|migrate"'));
    expect(check(join(dir, 'unformatted.alloy')).stderr).toMatch(/not formatted as `alloy fmt` would write it/);
    writeFileSync(join(dir, 'wrong.alloy'), source.replace('refresh_interval = "5s"\n\tforward_to', 'refresh_intervall = "5s"\n\tforward_to').replace('loki.write.loki.receiver', 'loki.write.lokki.receiver'));
    expect(semanticProblems(blocksOf(join(dir, 'wrong.alloy')))).toEqual([
      'loki.source.docker "lanyard": unknown argument refresh_intervall',
      'loki.process "lanyard": refers to loki.write.lokki.receiver, but there is no loki.write "lokki"',
    ]);
  });
});

describe('the kind dev stack\'s Alloy (lanyard-dev chart, the default logShipper)', () => {
  let dir: string;
  let blocks: Block[];
  beforeAll(() => {
    dir = tempDir('alloy-dev');
    writeFileSync(join(dir, 'config.alloy'), devAlloyConfig());
    blocks = blocksOf(join(dir, 'config.alloy'));
  }, PROVISION_TIMEOUT_MS);

  it('parses, is formatted, and uses its components correctly', () => {
    expect(check(join(dir, 'config.alloy')).stderr).toBe('');
    expect(semanticProblems(blocks)).toEqual([]);
  });

  it('discovers this node\'s Lanyard pods, unwraps CRI lines, drops filename, then runs the compose pipeline verbatim', () => {
    const selector = component(blocks, 'discovery.kubernetes', 'pods').blocks[0] as Block;
    expect(selector.attributes.field?.expression).toBe('"spec.nodeName=" + sys.env("NODE_NAME")');
    const cri = component(blocks, 'loki.process', 'cri');
    expect(cri.blocks.map((b) => b.name)).toEqual(['stage.cri', 'stage.label_drop']);
    expect(value(cri.blocks[1] as Block, 'values')).toEqual(['filename']);
    expect(cri.attributes.forward_to?.references).toEqual(['loki.process.lanyard.receiver']);
    const compose = readFileSync(join(repoRoot, 'alloy-config.alloy'), 'utf8');
    const lanyard = compose.slice(compose.indexOf('loki.process "lanyard" {'));
    expect(devAlloyConfig()).toContain(lanyard.trimEnd());
    const relabelled = component(blocks, 'discovery.relabel', 'lanyard').blocks.map((rule) => value(rule, 'target_label'));
    expect(relabelled.filter((l) => typeof l === 'string' && !l.startsWith('__')).sort()).toEqual(['container', 'service']);
  });

  it('is what the chart renders by default; logShipper=promtail renders Promtail instead, never both', () => {
    const render = (...set: string[]) =>
      parseAllDocuments(mustRun(helmBinary(), ['template', 'lanyard-dev', join(repoRoot, 'charts/lanyard-dev'), '-n', 'lanyard', ...set.flatMap((s) => ['--set', s])]))
        .map((d) => d.toJS() as { kind: string; metadata: { name: string }; data?: Record<string, string> })
        .filter((m) => m !== null);
    const daemonSets = (manifests: ReturnType<typeof render>) => manifests.filter((m) => m.kind === 'DaemonSet').map((m) => m.metadata.name);
    const byDefault = render();
    expect(daemonSets(byDefault)).toEqual(['alloy']);
    expect(byDefault.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'alloy')?.data?.['config.alloy']).toBe(devAlloyConfig());
    expect(daemonSets(render('logShipper=promtail'))).toEqual(['promtail']);
  }, PROVISION_TIMEOUT_MS);
});
