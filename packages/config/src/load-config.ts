import type * as z from 'zod/mini';
import { ConfigError, readEnvironment } from './read-environment.js';

/**
 * Parses the environment against a service's schema once, at start-up. The first problem becomes a
 * one-line {@link ConfigError} naming the variable; the result is deeply frozen so nothing can
 * change configuration at run time.
 */
export function loadConfig<S extends z.ZodMiniType>(
  schema: S,
  secretNames: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.output<S>> {
  const raw = readEnvironment(secretNames, env);
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = issue.path.map(String).join('.') || 'configuration';
    throw new ConfigError(`invalid configuration: ${variable} ${issue.message}`);
  }
  return deepFreeze(result.data as z.output<S>);
}

/**
 * {@link loadConfig} for a process entry point: an invalid value prints one clear line on stderr and
 * exits with code 1, as operators expect from a misconfigured container.
 */
export function loadConfigOrExit<S extends z.ZodMiniType>(schema: S, secretNames: readonly string[]): Readonly<z.output<S>> {
  try {
    return loadConfig(schema, secretNames);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !Buffer.isBuffer(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
