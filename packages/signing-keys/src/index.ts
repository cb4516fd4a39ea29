export { SIGNING_ALGS, isSigningAlg, type SigningAlg } from './signing-algs.js';
export { jwkThumbprint, type ThumbprintMembers } from './jwk-thumbprint.js';
export { generateSigningKey, type EcPublicJwk, type GeneratedSigningKey, type PublicJwk, type RsaPublicJwk } from './generate-signing-key.js';
export { planKeyRotation, type KeyState, type RotationPlan, type RotationPolicy } from './plan-key-rotation.js';
export { isEmptyPlan, planTenantKeyRotation, type AlgKeyState, type TenantRotationPlan } from './plan-tenant-key-rotation.js';
export { SigningKeyRing, type UsableKey, type VerificationKey } from './signing-key-ring.js';
export { rotateSigningKeys, type TenantKeyRotation } from './rotate-signing-keys.js';
/** Longest token any key may sign (client token lifetimes are capped at a day) plus clock skew. */
export const MAX_SIGNED_TOKEN_LIFETIME_SECONDS = 86_400 + 300;
