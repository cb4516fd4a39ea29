import { LIMITS } from './identity-tenant-names.js';
import type { JSONSchemaProps } from './json-schema-props.js';

/**
 * No C0 control character and no DEL anywhere: the admin API's `NO_CONTROL_CHARACTERS`
 * (packages/contracts `Text`), written for the API server's RE2 engine, which knows `\x..` but not
 * `\u....` escapes.
 */
export const NO_CONTROL_CHARACTERS_PATTERN = '^[^\\x00-\\x1F\\x7F]*$';

/**
 * The admin API's `format: email` (ajv-formats, full mode) as a pattern. The API server's own
 * `format: email` is Go's `net/mail.ParseAddress`, which also accepts `Name <a@b>` and a domain
 * without a dot; the admin API would refuse those in the reconcile loop, so the CRD refuses them at
 * `kubectl apply`. Case-insensitive by spelling out both cases (RE2 and ECMA-262 agree on it).
 */
export const EMAIL_ADDRESS_PATTERN =
  "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$";

/**
 * Schema of `spec.accounts`: the tenant's self-service account policy, the admin API's
 * `TenantAccounts` with the same bounds. No field has a schema default: an absent field is left out
 * of the admin API body, so the identity service's default applies (and can change with it).
 */
export const accountsSchema: JSONSchemaProps = {
  type: 'object',
  description: 'Self-service account policy of the tenant. An absent field takes the identity service\'s default.',
  properties: {
    signup: {
      type: 'string',
      description: 'Who may create an account at this issuer: Open (anyone), InviteOnly (only through an invitation) or Closed (accounts are created by administrators only). Defaults to Closed.',
      enum: ['Open', 'InviteOnly', 'Closed'],
    },
    requireVerifiedEmail: { type: 'boolean', description: 'Password sign-in needs a verified email address. Defaults to true.' },
    passwordMinLength: {
      type: 'integer',
      description: `Minimum password length in characters, ${LIMITS.passwordMinLengthMin} to ${LIMITS.passwordMinLengthMax}. Defaults to 12.`,
      minimum: LIMITS.passwordMinLengthMin,
      maximum: LIMITS.passwordMinLengthMax,
    },
    emailFromName: {
      type: 'string',
      description: 'Sender display name of the tenant\'s emails, without control characters. Defaults to spec.displayName.',
      minLength: 1,
      maxLength: LIMITS.emailFromName,
      pattern: NO_CONTROL_CHARACTERS_PATTERN,
    },
    emailFromAddress: {
      type: 'string',
      description: 'Sender address of the tenant\'s emails (a bare address such as no-reply@acme.example, no display name). Defaults to the worker\'s SMTP_FROM.',
      format: 'email',
      maxLength: LIMITS.email,
      pattern: EMAIL_ADDRESS_PATTERN,
    },
  },
};
