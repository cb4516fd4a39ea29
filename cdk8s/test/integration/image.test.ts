import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageEnvironment } from '@lanyard/testing';
import { mustRun, repoRoot, run, tempDir } from '../support/tools.js';

/**
 * No Docker engine here, so the image is checked piece by piece: the esbuild bundles it carries
 * start and reach configuration validation, the external packages are pinned, the Dockerfile keeps
 * its promises (multi-stage, non-root, HEALTHCHECK) and the health check works.
 */
describe('image contents', () => {
  let dist: string;
  beforeAll(() => {
    // Inside the repository, so the bundles resolve the external packages from node_modules/
    // just as /app/dist resolves them from /app/node_modules in the image.
    mkdirSync(join(repoRoot, '.cache'), { recursive: true });
    dist = tempDir('bundle-test', join(repoRoot, '.cache'));
    mustRun('node', ['scripts/build-images.mjs', dist]);
  }, 120_000);

  it.each(['api', 'worker', 'operator', 'migrate', 'replay-audit'])('dist/%s.js loads every module and stops on bad configuration', (entry) => {
    const result = run('node', [join(dist, `${entry}.js`)], { env: { PATH: process.env.PATH, DATABASE_URL: 'nonsense', LANYARD_ADMIN_CLIENT_SECRET: '' } });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^invalid configuration: (DATABASE_URL|LANYARD_ADMIN_CLIENT_SECRET) /);
  });

  it('every file of dist/ is ASCII (one byte per character in V8), without whitespace, and links its source map', () => {
    const files = readdirSync(dist).filter((name) => name.endsWith('.js'));
    expect(files).toEqual(expect.arrayContaining(['api.js', 'worker.js', 'operator.js', 'migrate.js', 'replay-audit.js']));
    let lines = 0;
    let characters = 0;
    for (const file of files) {
      const source = readFileSync(join(dist, file), 'latin1');
      // One non-ASCII character would make V8 hold the whole source as a two-byte string.
      expect(source.search(/[\x80-\xff]/), file).toBe(-1);
      // The map turns a trace's line:column back into the sources.
      expect(source, file).toMatch(/\/\/# sourceMappingURL=[\w-]+\.js\.map\s*$/);
      lines += source.split('\n').length;
      characters += source.length;
    }
    // Whitespace and comments go: code on long lines, but for the banner and multi-line template
    // literals (BullMQ's Lua scripts), which keep their line breaks and can fill a small chunk.
    expect(lines).toBeLessThan(characters / 200);
  });

  it('the API loads the passkey library and the QR encoder on first use, not at start-up', () => {
    const imports = (file: string, pattern: RegExp) => [...readFileSync(join(dist, file), 'latin1').matchAll(pattern)].map((match) => match[1]!);
    const staticImports = (file: string) => imports(file, /(?:from|import)\s*"\.\/([\w-]+\.js)"/g);
    const reachedAtStart = new Set<string>();
    const visit = (file: string) => {
      if (reachedAtStart.has(file)) return;
      reachedAtStart.add(file);
      staticImports(file).forEach(visit);
    };
    visit('api.js');
    const defining = (text: string) => readdirSync(dist).filter((name) => name.endsWith('.js') && readFileSync(join(dist, name), 'latin1').includes(text));
    for (const lazy of ['function verifyRegistrationResponse(', 'function toSJIS(']) {
      const [chunk, ...others] = defining(lazy);
      expect(others, lazy).toEqual([]);
      expect(reachedAtStart.has(chunk!), `${chunk} (${lazy}) is loaded at start-up`).toBe(false);
      expect([...reachedAtStart].flatMap((file) => imports(file, /import\("\.\/([\w-]+\.js)"\)/g)), lazy).toContain(chunk);
    }
  });

  it('every chunk of dist/ loads on its own, resolving what it imports', () => {
    const chunks = readdirSync(dist).filter((name) => name.endsWith('.js') && !/^(api|worker|operator|migrate|replay-audit)\.js$/.test(name));
    expect(chunks.length).toBeGreaterThan(0);
    const script = `for (const chunk of ${JSON.stringify(chunks)}) await import('./' + chunk);`;
    const result = run('node', ['--input-type=module', '-e', script], { cwd: dist, env: { PATH: process.env.PATH } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('the API bundle keeps the names of its functions', () => {
    const source = readFileSync(join(dist, 'api.js'), 'utf8');
    expect(source).toContain('function renderContinuePage(');
    expect(source).toContain('function authenticateClient(');
  });

  it('pins the packages the bundles leave external to the versions tested here', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8')) as { type: string; dependencies: Record<string, string> };
    expect(manifest.type).toBe('module');
    for (const [name, version] of Object.entries(manifest.dependencies)) {
      expect(version).toBe((JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version);
    }
    expect(Object.keys(manifest.dependencies)).toContain('argon2');
  });

  it('docker/Dockerfile is multi-stage, runs as a non-root user and has a HEALTHCHECK', () => {
    const dockerfile = readFileSync(join(repoRoot, 'docker/Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    expect(stages).toEqual(['build', 'dev', 'deps', 'runtime']);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER 1000:1000$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .* CMD \["node", "healthcheck\.mjs"\]$/m);
    // The runtime image gets bundles, their few external packages and migrations, not the sources.
    expect([...runtime.matchAll(/^COPY (.*)$/gm)].map((m) => m[1])).toEqual([
      '--from=deps /app/node_modules ./node_modules',
      '--from=build /src/dist ./dist',
      '--from=build /src/packages/db/drizzle ./drizzle',
      'docker/healthcheck.mjs ./healthcheck.mjs',
    ]);
  });

  it('the runtime stage’s ENV is one node accepts, and it bounds the heap (docs/reliability.md#memory)', () => {
    const env = imageEnvironment(repoRoot);
    expect(env).toMatchObject({ NODE_ENV: 'production', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '4194304', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    // glibc ignores a tunable it does not know: its loader lists what it took from this environment.
    const tunables = run('/lib64/ld-linux-x86-64.so.2', ['--list-tunables'], { env }).stdout;
    expect(tunables).toMatch(/^glibc\.malloc\.hugetlb: 0x1 /m);
    expect(tunables).toMatch(/^glibc\.malloc\.mmap_threshold: 0x400000 /m);
    expect(tunables).toMatch(/^glibc\.malloc\.arena_max: 0x2 /m);
    // A flag node does not allow in NODE_OPTIONS would stop every process of the image at start.
    const result = run('node', ['-e', 'console.log(require("v8").getHeapStatistics().heap_size_limit)'], { env: { PATH: process.env.PATH, ...env } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // 128 MiB of old space plus the young generation of 4 MiB semi-spaces.
    expect(Number(result.stdout) / 2 ** 20).toBe(140);
  });

  it('.dockerignore keeps secrets, dependencies and caches out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.env.*', '!.env.example', '**/node_modules', '.git', '.cache', '**/dist']));
  });

  it('healthcheck.mjs exits 0 on a 2xx answer and 1 otherwise', async () => {
    const server = createServer((request, response) => {
      response.statusCode = request.url === '/healthz' ? 200 : 503;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const check = (url: string) =>
      new Promise<number | null>((resolve) => spawn('node', [join(repoRoot, 'docker/healthcheck.mjs'), url]).on('exit', resolve));
    try {
      expect(await check(`${base}/healthz`)).toBe(0);
      expect(await check(`${base}/readyz`)).toBe(1);
    } finally {
      server.close();
    }
    expect(await check(`${base}/healthz`)).toBe(1);
  });
});
