import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path)];
  });
}

/**
 * Differences between two directory trees: files only in one of them, and files whose bytes
 * differ. Empty when the trees are identical.
 */
export function directoryDiff(expected: string, actual: string): string[] {
  const want = new Set(listFiles(expected));
  const have = new Set(listFiles(actual));
  const problems: string[] = [];
  for (const file of want) if (!have.has(file)) problems.push(`missing: ${file}`);
  for (const file of have) if (!want.has(file)) problems.push(`unexpected: ${file}`);
  for (const file of want) {
    if (have.has(file) && !readFileSync(join(expected, file)).equals(readFileSync(join(actual, file)))) problems.push(`differs: ${file}`);
  }
  return problems.sort();
}
