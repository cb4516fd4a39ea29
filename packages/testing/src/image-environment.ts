import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `ENV` of the runtime stage of `docker/Dockerfile` under `repoRoot`: what `node dist/<name>.js`
 * runs with in a container (NODE_ENV, the allocator and heap settings). Read from the Dockerfile
 * itself, so a bench of the bundles measures what ships and a test checks what ships.
 */
export function imageEnvironment(repoRoot: string): Record<string, string> {
  const dockerfile = readFileSync(join(repoRoot, 'docker', 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stage = dockerfile.slice(dockerfile.search(/^FROM .* AS runtime$/m));
  const env: Record<string, string> = {};
  for (const line of stage.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const match of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) env[match[1]!] = match[3] ?? match[2]!;
  }
  return env;
}
