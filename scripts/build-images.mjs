// Bundles every Node.js entry point of the image into dist/ with esbuild, so the image carries
// a few files instead of the whole workspace, plus dist/package.json naming the packages that
// cannot be bundled (native addons, packages serving files from their own directory).
//
//   node scripts/build-images.mjs [outdir]     (default: dist/)
//
// Used by docker/Dockerfile and by Tilt's live update; tests run the bundles to prove they load.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] ?? join(repo, 'dist'));

/** Entry points: `node dist/<name>.js` in the image (the charts' container args). */
const entryPoints = {
  api: 'services/api/src/server.ts',
  worker: 'services/worker/src/server.ts',
  operator: 'operator/src/server.ts',
  migrate: 'packages/db/src/bin/migrate.ts',
  'replay-audit': 'services/api/src/bin/replay-audit.ts',
};

/**
 * Installed in the image instead of bundled: argon2 loads a native addon; the UI packages serve
 * static files relative to their own directory. The optional peers are never used here but
 * referenced in try/require blocks that esbuild would otherwise try to resolve.
 */
const installed = ['argon2', '@fastify/swagger-ui', '@bull-board/ui'];
const optionalPeers = ['pg-native', 'bufferutil', 'utf-8-validate'];

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

await build({
  absWorkingDir: repo,
  entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, path]) => [name, join(repo, path)])),
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: [...installed, ...optionalPeers],
  // Bundled CommonJS dependencies still call require() and read __dirname; give them both in ESM.
  banner: {
    js: [
      "import { createRequire as __lanyardCreateRequire } from 'node:module';",
      "import { fileURLToPath as __lanyardFileURLToPath } from 'node:url';",
      "import { dirname as __lanyardDirname } from 'node:path';",
      'const require = __lanyardCreateRequire(import.meta.url);',
      'const __filename = __lanyardFileURLToPath(import.meta.url);',
      'const __dirname = __lanyardDirname(__filename);',
    ].join('\n'),
  },
});

// Exact versions of what is installed here, so the image gets the same code the tests ran.
const version = (name) => JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version;
const manifest = {
  name: 'lanyard-image',
  private: true,
  type: 'module',
  dependencies: Object.fromEntries(installed.map((name) => [name, version(name)])),
};
writeFileSync(join(outdir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`bundled ${Object.keys(entryPoints).join(', ')} into ${outdir}\n`);
