import { readFileSync } from 'node:fs';

/**
 * Reads the raw environment, resolving the `<NAME>_FILE` variant of each secret (the Docker/Kubernetes
 * convention for mounted secrets). Setting both `<NAME>` and `<NAME>_FILE` is an error, because
 * silently preferring one hides a deployment mistake.
 */
export function readEnvironment(
  secretNames: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of secretNames) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      throw new ConfigError(`${name} and ${name}_FILE are both set; set only one`);
    }
    try {
      // Trailing newlines are an artefact of `echo > file` and of most secret stores, never part of the secret.
      out[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new ConfigError(`${name}_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}: ${file})`);
    }
  }
  return out;
}

/** A configuration problem, with a one-line message that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
