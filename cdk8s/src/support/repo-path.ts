import { fileURLToPath } from 'node:url';

/** Absolute path of a file in the repository (cdk8s reads prometheus/ and writes charts/). */
export const repoPath = (relative: string): string => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
