import { createRequire } from 'node:module';

/**
 * The passwords most often seen in breach corpora, as bundled by zxcvbn-ts (≈49 000 entries, MIT):
 * part of the install, never a network call. Kept from 8 characters up, the shortest password any
 * policy allows, and lower-cased, since changing case adds almost nothing against a guessing attack.
 */
let commonPasswords: ReadonlySet<string> | undefined;

function load(): ReadonlySet<string> {
  const list = createRequire(import.meta.url)('@zxcvbn-ts/language-common/src/passwords.json') as string[];
  return new Set(list.filter((p) => p.length >= 8).map((p) => p.toLowerCase()));
}

/** True when the password, ignoring case, is on the bundled common-password list. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= load();
  return commonPasswords.has(password.toLowerCase());
}
