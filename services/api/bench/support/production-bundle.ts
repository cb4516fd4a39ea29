import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { imageEnvironment as imageEnvironmentOf } from '@lanyard/testing';
import { repoRoot } from './settings.js';

/**
 * Builds the image's esbuild bundles (`scripts/build-images.mjs`) into `.cache/bench-dist/`, inside
 * the repository so they resolve their few external packages from node_modules as /app/dist does
 * in the image, and returns the path of `<name>.js`. A few seconds; built once per script run.
 */
let built: string | undefined;
export function productionBundle(name: 'api' | 'worker' | 'operator' | 'migrate' | 'replay-audit'): string {
  if (built === undefined) {
    const outdir = join(repoRoot, '.cache', 'bench-dist');
    mkdirSync(outdir, { recursive: true });
    execFileSync(process.execPath, ['scripts/build-images.mjs', outdir], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    built = outdir;
  }
  const entry = join(built, `${name}.js`);
  if (!existsSync(entry)) throw new Error(`bundle ${entry} was not built`);
  return entry;
}

/** The image's runtime environment (docker/Dockerfile), checked once: a bench of the bundles runs with it. */
let imageEnv: Record<string, string> | undefined;
export function imageEnvironment(): Record<string, string> {
  imageEnv ??= imageEnvironmentOf(repoRoot);
  if (imageEnv.NODE_ENV !== 'production') throw new Error('docker/Dockerfile: no ENV NODE_ENV=production in the runtime stage');
  return imageEnv;
}
