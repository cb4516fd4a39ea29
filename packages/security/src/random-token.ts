import { randomBytes } from 'node:crypto';

/** An unguessable token: `bytes` random bytes, base64url (32 bytes = 256 bits, the floor for bearer artefacts). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
