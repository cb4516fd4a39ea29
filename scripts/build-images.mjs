// Bundles every Node.js entry point of the image into dist/ with esbuild, so the image carries
// a few files instead of the whole workspace, plus dist/package.json naming the packages that
// cannot be bundled (native addons, packages serving files from their own directory).
//
//   node scripts/build-images.mjs [outdir]     (default: dist/)
//
// Used by docker/Dockerfile and by Tilt's live update; tests run the bundles to prove they load.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  // V8 keeps a module's whole source in memory, one byte per character only while every character
  // is Latin-1; the comments of a few dependencies (and any raw character in a tagged template)
  // would make the API's 7 MB source a 15 MB two-byte string. Without whitespace and comments, and
  // with esbuild's ASCII escapes, it is a 5 MB one-byte string: about 10 MiB less RSS per process.
  // Identifiers stay, so stack traces keep their function names; dist/*.js.map maps positions
  // (`node --enable-source-maps`, at the memory cost of the parsed map).
  // Code reached only through a dynamic import() (the passkey library, the QR encoder) goes into a
  // chunk of its own that a process reads and evaluates when it first needs it, not at start-up;
  // code shared by several entry points goes into shared chunks. All of them sit next to the entries.
  splitting: true,
  minifyWhitespace: true,
  charset: 'ascii',
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
// esbuild cannot escape the raw text of a tagged template, so check what the comment above relies on,
// in the entry points and in every chunk they load.
for (const file of readdirSync(outdir).filter((name) => name.endsWith('.js'))) {
  const source = readFileSync(join(outdir, file), 'latin1');
  const at = source.search(/[\x80-\xff]/);
  if (at !== -1) {
    process.stderr.write(`${file} is not ASCII at offset ${at}: ${JSON.stringify(source.slice(Math.max(0, at - 80), at + 20))}\n`);
    process.exit(1);
  }
}

writeFileSync(join(outdir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`bundled ${Object.keys(entryPoints).join(', ')} into ${outdir}\n`);
