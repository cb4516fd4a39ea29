// `npm run -w @lanyard/cdk8s synth [dir]`: regenerates charts/ (or dir) from the cdk8s app.
// The directory is replaced wholesale, so a resource removed from code disappears from disk too.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { synthesizeCharts } from '../synthesize.js';
import { repoPath } from '../support/repo-path.js';

const outDir = resolve(process.argv[2] ?? repoPath('charts'));
const files = synthesizeCharts();
rmSync(outDir, { recursive: true, force: true });
for (const [path, contents] of files) {
  const target = join(outDir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, contents);
}
console.log(`wrote ${files.size} files to ${outDir}`);
