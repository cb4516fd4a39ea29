import { randomBytes } from 'node:crypto';

/** A new client secret: 32 random bytes (256 bits), base64url — above the API's 32-character minimum. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}
