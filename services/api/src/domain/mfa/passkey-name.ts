/**
 * What a passkey may be called, wherever its owner names it (added on the account page or during a
 * sign-in, or renamed): one line, no control or format characters (no NUL, no bidi overrides, no
 * zero-width tricks in a list the owner reads), 1 to 100 characters after trimming.
 */
const PASSKEY_NAME = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{1,100}$/u;

/** The trimmed name, or undefined when the rule refuses it. */
export function passkeyName(raw: string | undefined): string | undefined {
  const name = (raw ?? '').trim();
  return PASSKEY_NAME.test(name) ? name : undefined;
}
