import { NO_CONTROL_CHARACTERS_PATTERN } from './accounts-schema.js';
import { celRules } from './cel-rules.js';
import { LIMITS } from './identity-tenant-names.js';
import type { JSONSchemaProps } from './json-schema-props.js';

/**
 * The admin API's issuer pattern (packages/contracts `IdentityProviderSpec.issuer`), written for the
 * API server's RE2 engine (`\x..` instead of `\u....`): https, or http on a loopback host, and no
 * whitespace or control character anywhere.
 */
export const ISSUER_PATTERN = '^(https://|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?(/|$))[^\\x00-\\x20\\x7F]*$';

const claimName = (description: string): JSONSchemaProps => ({ type: 'string', description, minLength: 1, maxLength: LIMITS.claimName, pattern: NO_CONTROL_CHARACTERS_PATTERN });

/**
 * Schema of one `spec.identityProviders[]` entry: the admin API's `IdentityProviderSpec` with the
 * same bounds, except that the client secret is never inline — it is a reference to a Secret key
 * in `spec.namespace`, which the operator reads and sends (write-only) to the identity service.
 */
export const identityProviderSchema: JSONSchemaProps = {
  type: 'object',
  description: 'An upstream OpenID Connect provider users of the tenant may sign in with; served under {issuer}/federation/{name}/.',
  required: ['name', 'issuer', 'clientId', 'clientSecretRef', 'link'],
  properties: {
    name: {
      type: 'string',
      description: 'Key of the provider in this list and the path segment of its federation URLs (DNS label); the redirect URI to register at the upstream is {issuer}/federation/{name}/callback. Renaming a provider deletes it and creates a new one.',
      minLength: 1,
      maxLength: LIMITS.dnsLabel,
      pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
    },
    displayName: {
      type: 'string',
      description: 'Label of its button on the sign-in page ("Sign in with …"). Defaults to name.',
      minLength: 1,
      maxLength: LIMITS.providerDisplayName,
      pattern: NO_CONTROL_CHARACTERS_PATTERN,
    },
    issuer: {
      type: 'string',
      description: 'The upstream issuer; its discovery document is at {issuer}/.well-known/openid-configuration. https, or http on a loopback host (127.0.0.1, [::1], localhost); no query or fragment.',
      minLength: 1,
      maxLength: LIMITS.uri,
      pattern: ISSUER_PATTERN,
      'x-kubernetes-validations': [celRules.issuerHttpsOrLoopback],
    },
    clientId: {
      type: 'string',
      description: 'The tenant\'s client id at the upstream.',
      minLength: 1,
      maxLength: LIMITS.providerClientId,
      pattern: NO_CONTROL_CHARACTERS_PATTERN,
    },
    clientSecretRef: {
      type: 'object',
      description:
        'The key of a Secret in spec.namespace that holds the tenant\'s client secret at the upstream (client_secret_basic). The operator only reads it, and sends it to the identity service when the provider is created or the value changes.',
      required: ['name', 'key'],
      properties: {
        name: {
          type: 'string',
          description: 'Name of the Secret in spec.namespace (DNS subdomain).',
          minLength: 1,
          maxLength: LIMITS.dnsSubdomain,
          pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
        },
        key: {
          type: 'string',
          description: 'Key in the Secret\'s data whose value is the client secret.',
          minLength: 1,
          maxLength: LIMITS.secretKey,
          pattern: '^[-._a-zA-Z0-9]+$',
        },
      },
    },
    scopes: {
      type: 'array',
      description: 'Scopes asked of the upstream (RFC 6749 §3.3 scope tokens); openid is always sent. Defaults to the identity service\'s: openid email profile.',
      maxItems: LIMITS.providerScopes,
      items: { type: 'string', minLength: 1, maxLength: LIMITS.scope, pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' },
      'x-kubernetes-list-type': 'set',
    },
    claims: {
      type: 'object',
      description: 'Which upstream ID token or userinfo claims hold what; each defaults to its OpenID Connect Core name.',
      properties: {
        subject: claimName('Claim with the upstream user id. Defaults to sub.'),
        email: claimName('Claim with the email address. Defaults to email.'),
        emailVerified: claimName('Claim saying whether the email address is verified. Defaults to email_verified.'),
        name: claimName('Claim with the display name. Defaults to name.'),
      },
    },
    link: {
      type: 'string',
      description:
        'What happens when an upstream identity has no local account linked yet: JustInTime creates one (or links one with the same verified email); VerifiedEmail links to an existing account with the same address, only when the upstream says it is verified; ExistingOnly lets only identities already linked sign in.',
      enum: ['JustInTime', 'VerifiedEmail', 'ExistingOnly'],
    },
    disabled: { type: 'boolean', description: 'A disabled provider has no button and refuses to start or finish a sign-in. Defaults to false.' },
  },
};
