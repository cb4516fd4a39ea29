import type { V1Secret } from '@kubernetes/client-node';
import type { SecretKeyReference } from '@lanyard/crd';

/** Longest client secret the admin API accepts (IdentityProviderSpec.clientSecret). */
const MAX_SECRET_LENGTH = 2000;

/** A provider's client secret as read from its `clientSecretRef`, or why it cannot be used. */
export type ProviderSecret =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: 'SecretNotFound' | 'SecretInvalid'; readonly message: string };

/**
 * The value of `clientSecretRef` in the Secret as read from `namespace` (undefined: no such Secret).
 * A missing Secret or key is `SecretNotFound`; a value the admin API would refuse (empty, too long,
 * or with a control character such as the trailing newline of `kubectl create secret --from-file`
 * from an editor-saved file) is `SecretInvalid`. Both messages name `namespace/name` and the key,
 * never the value.
 */
export function readProviderSecret(secret: V1Secret | undefined, namespace: string, ref: SecretKeyReference, provider: string): ProviderSecret {
  const where = `key "${ref.key}" of Secret ${namespace}/${ref.name}`;
  if (secret === undefined) return { ok: false, reason: 'SecretNotFound', message: `Identity provider "${provider}": Secret ${namespace}/${ref.name} (key "${ref.key}") does not exist.` };
  const raw = secret.data?.[ref.key];
  if (raw === undefined) return { ok: false, reason: 'SecretNotFound', message: `Identity provider "${provider}": Secret ${namespace}/${ref.name} has no key "${ref.key}".` };
  const value = Buffer.from(raw, 'base64').toString('utf8');
  // eslint-disable-next-line no-control-regex -- the admin API's NO_CONTROL_CHARACTERS
  if (value.length === 0 || value.length > MAX_SECRET_LENGTH || /[\u0000-\u001F\u007F]/.test(value)) {
    return { ok: false, reason: 'SecretInvalid', message: `Identity provider "${provider}": ${where} must be 1-${MAX_SECRET_LENGTH} characters without control characters (a trailing newline counts).` };
  }
  return { ok: true, value };
}
