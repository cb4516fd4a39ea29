/** A JWS algorithm we sign with (RFC 7518 §3.1). */
export type SigningAlg = 'ES256' | 'RS256';

/**
 * Every algorithm a tenant holds a key for, ES256 first (our default: small signatures and ~20×
 * cheaper to sign). RS256 exists because OpenID Connect Core §15.1 and Discovery §3 require it
 * (`id_token_signing_alg_values_supported` must include it). Each algorithm has its own key set,
 * rotated independently.
 */
export const SIGNING_ALGS: readonly SigningAlg[] = Object.freeze(['ES256', 'RS256'] as const);

/** True for the algorithms in {@link SIGNING_ALGS}; rows with any other `alg` are ignored. */
export function isSigningAlg(value: unknown): value is SigningAlg {
  return (SIGNING_ALGS as readonly unknown[]).includes(value);
}
