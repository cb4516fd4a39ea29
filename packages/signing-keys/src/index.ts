export { generateSigningKey, jwkThumbprint, SIGNING_ALG, type GeneratedSigningKey } from './generate-signing-key.js';
export { planKeyRotation, type KeyState, type RotationPlan, type RotationPolicy } from './plan-key-rotation.js';
export { SigningKeyRing, type UsableKey } from './signing-key-ring.js';
export { rotateSigningKeys } from './rotate-signing-keys.js';
/** Longest token any key may sign (client token lifetimes are capped at a day) plus clock skew. */
export const MAX_SIGNED_TOKEN_LIFETIME_SECONDS = 86_400 + 300;
