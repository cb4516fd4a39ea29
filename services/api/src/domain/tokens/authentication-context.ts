import type { ClaimsRequest } from '@lanyard/db';

/**
 * Authentication context classes (OIDC Core §2 `acr`) this server can achieve, weakest first.
 * Password sign-in is the only method so far; stronger classes join this list as second factors
 * arrive. Discovery lists them as `acr_values_supported`.
 */
export const ACR_PASSWORD = 'urn:lanyard:acr:pwd';
export const ACR_VALUES_SUPPORTED: readonly string[] = [ACR_PASSWORD];

/** The class a sign-in with these RFC 8176 `amr` methods achieved. */
export function achievedAcr(amr: readonly string[]): string {
  return amr.length === 0 ? ACR_PASSWORD : ACR_PASSWORD;
}

/**
 * Whether an essential `acr` request (`claims.id_token.acr` with `essential: true` and a `value` or
 * `values`, OIDC Core §5.5.1.1) is met by what was achieved. Non-essential requests, and
 * `acr_values`, are always answered with the achieved class instead.
 */
export function essentialAcrMet(claims: ClaimsRequest | null, achieved: string): boolean {
  const acr = claims?.id_token?.acr;
  if (acr === null || acr === undefined || acr.essential !== true) return true;
  const wanted = acr.values ?? (acr.value === undefined ? [] : [acr.value]);
  return wanted.length === 0 || wanted.includes(achieved);
}
