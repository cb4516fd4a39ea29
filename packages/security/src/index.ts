export { randomToken } from './random-token.js';
export { tokenHash } from './token-hash.js';
export { constantTimeEqual } from './constant-time-equal.js';
export { deriveKey, type KeyPurpose } from './key-derivation.js';
export { SecretHasher } from './secret-hasher.js';
export { EnvelopeCipher } from './envelope-cipher.js';
