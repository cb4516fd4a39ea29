import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directoryDiff } from '../support/directory-diff.js';
import { mustRun, repoRoot, tempDir } from '../support/tools.js';

// CI's drift check: charts/ is generated, so it must be exactly what the cdk8s app writes now.
describe('charts/ is up to date with the cdk8s app', () => {
  it('re-synthesizes charts/ byte for byte (run `npm run -w @lanyard/cdk8s synth` after changing cdk8s/)', () => {
    const out = join(tempDir('synth'), 'charts');
    mustRun('npx', ['tsx', 'cdk8s/src/bin/synth.ts', out]);
    expect(directoryDiff(join(repoRoot, 'charts'), out)).toEqual([]);
  });

  it('synthesizes the same bytes twice (no timestamps, no random names, stable order)', () => {
    const first = join(tempDir('synth'), 'charts');
    const second = join(tempDir('synth'), 'charts');
    mustRun('npx', ['tsx', 'cdk8s/src/bin/synth.ts', first]);
    mustRun('npx', ['tsx', 'cdk8s/src/bin/synth.ts', second]);
    expect(directoryDiff(first, second)).toEqual([]);
  });
});
