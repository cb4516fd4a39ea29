import type { ClaimsRequest } from '@lanyard/db';

/**
 * Authentication context classes (OIDC Core §2 `acr`) this server can achieve, weakest first:
 * a password alone, or a sign-in with a second factor. Discovery lists them as
 * `acr_values_supported`; a client asks for the stronger one with `acr_values` (step-up).
 */
export const ACR_PASSWORD = 'urn:lanyard:acr:pwd';
export const ACR_MFA = 'urn:lanyard:acr:mfa';
export const ACR_VALUES_SUPPORTED: readonly string[] = [ACR_PASSWORD, ACR_MFA];

/** RFC 8176 §2 method values: password, one-time password, and "more than one factor". */
export const AMR_PASSWORD = 'pwd';
export const AMR_OTP = 'otp';
export const AMR_MFA = 'mfa';
/**
 * A sign-in through an upstream identity provider. Not in RFC 8176's list; `fed` is the value
 * Microsoft Entra ID uses for the same, so relying parties may already know it.
 */
export const AMR_FEDERATED = 'fed';

/** The class a sign-in with these RFC 8176 `amr` methods achieved. */
export function achievedAcr(amr: readonly string[]): string {
  return amr.includes(AMR_MFA) ? ACR_MFA : ACR_PASSWORD;
}

/**
 * Whether an authorization request asks for a second factor:
 * - `acr_values` (OIDC Core §3.1.2.1) whose most preferred class we support is {@link ACR_MFA};
 * - or an essential `acr` claim request (§5.5.1.1) that only {@link ACR_MFA} satisfies.
 * Unknown classes are skipped, as §3.1.2.1 makes `acr_values` a voluntary request.
 */
export function requestsMfa(acrValues: readonly string[], claims: ClaimsRequest | null): boolean {
  const preferred = acrValues.find((v) => ACR_VALUES_SUPPORTED.includes(v));
  if (preferred === ACR_MFA) return true;
  const acr = claims?.id_token?.acr;
  if (acr === null || acr === undefined || acr.essential !== true) return false;
  const wanted = acr.values ?? (acr.value === undefined ? [] : [acr.value]);
  return wanted.length > 0 && wanted.includes(ACR_MFA) && !wanted.includes(ACR_PASSWORD);
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
