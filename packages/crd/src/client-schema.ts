import { celRules } from './cel-rules.js';
import { LIMITS } from './identity-tenant-names.js';
import type { JSONSchemaProps } from './json-schema-props.js';

const dnsLabel = (description: string): JSONSchemaProps => ({
  type: 'string',
  description,
  minLength: 1,
  maxLength: LIMITS.dnsLabel,
  pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
});

/** A redirect URI, checked by CEL so the message names the rule (OAuth 2.1 §2.3.1, RFC 8252 §7.3). */
const redirectUri: JSONSchemaProps = {
  type: 'string',
  minLength: 1,
  maxLength: LIMITS.uri,
  'x-kubernetes-validations': [celRules.redirectUriHttpsOrLoopback],
};

const uriList = (description: string): JSONSchemaProps => ({
  type: 'array',
  description,
  maxItems: LIMITS.uris,
  items: redirectUri,
  'x-kubernetes-list-type': 'set',
});

/** Schema of one `spec.clients[]` entry. */
export const clientSchema: JSONSchemaProps = {
  type: 'object',
  description: 'An OAuth 2.1 client registered in the tenant.',
  required: ['name', 'type', 'grantTypes'],
  properties: {
    name: dnsLabel('Key of the client in this list (DNS label). Renaming a client deletes it and creates a new one.'),
    clientId: {
      type: 'string',
      description: 'OAuth client_id. Defaults to <tenant>-<name>. Immutable.',
      minLength: 1,
      maxLength: LIMITS.clientId,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
    },
    displayName: { type: 'string', description: 'Shown on the consent screen.', minLength: 1, maxLength: LIMITS.displayName },
    type: {
      type: 'string',
      description: 'Public (browser or native app, no secret, PKCE) or Confidential (authenticates with a client secret). Immutable.',
      enum: ['Public', 'Confidential'],
    },
    tokenEndpointAuthMethod: {
      type: 'string',
      description:
        'RFC 7591 token_endpoint_auth_method, enforced by the identity service. none for Public clients; client_secret_basic (the default) or client_secret_post for Confidential ones.',
      enum: ['none', 'client_secret_basic', 'client_secret_post'],
    },
    pkce: {
      type: 'string',
      description:
        'PKCE policy: Required (the default, and always for Public clients), or Optional for a Confidential OpenID Connect client whose relying party uses nonce instead (RFC 9700 §2.1.1).',
      enum: ['Required', 'Optional'],
    },
    grantTypes: {
      type: 'array',
      description: 'OAuth 2.1 grant types: authorization_code, refresh_token (only with authorization_code), client_credentials (Confidential only).',
      minItems: 1,
      maxItems: 3,
      items: { type: 'string', enum: ['authorization_code', 'refresh_token', 'client_credentials'] },
      'x-kubernetes-list-type': 'set',
    },
    redirectUris: uriList('Exact redirect URIs (RFC 9700 §4.1.3: no patterns): https, or http on a loopback host.'),
    postLogoutRedirectUris: uriList('Where RP-initiated logout may return to: https, or http on a loopback host.'),
    allowedCorsOrigins: {
      type: 'array',
      description: 'Origins (scheme://host[:port]) allowed to call the token endpoint from a browser.',
      maxItems: LIMITS.uris,
      items: { type: 'string', minLength: 1, maxLength: LIMITS.uri },
      'x-kubernetes-list-type': 'set',
    },
    scopes: {
      type: 'array',
      description: 'Scopes the client may request (RFC 6749 §3.3 scope tokens).',
      maxItems: LIMITS.scopes,
      items: { type: 'string', minLength: 1, maxLength: LIMITS.scope, pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' },
      'x-kubernetes-list-type': 'set',
    },
    audience: {
      type: 'array',
      description: 'Audiences (resource servers) of the access tokens issued to this client.',
      maxItems: LIMITS.audiences,
      items: { type: 'string', minLength: 1, maxLength: LIMITS.audience },
      'x-kubernetes-list-type': 'set',
    },
    firstParty: { type: 'boolean', description: 'Skip the consent screen (first-party applications only).' },
    requireMfa: {
      type: 'boolean',
      description:
        'Sign-ins to this client need a second factor, whatever the tenant\'s spec.mfa.policy; a user without one enrols it first. Defaults to false.',
    },
    secret: {
      type: 'object',
      description:
        'Confidential clients only: the Secret in spec.namespace that the operator creates and owns, with keys CLIENT_ID, CLIENT_SECRET and ISSUER_URL. An existing Secret the operator does not own is never overwritten.',
      required: ['name'],
      properties: {
        name: {
          type: 'string',
          description: 'Secret name (DNS subdomain).',
          minLength: 1,
          maxLength: LIMITS.dnsSubdomain,
          pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
        },
      },
    },
    rotation: {
      type: 'object',
      description:
        'Confidential clients only: when to rotate the client secret. The old and the new secret both authenticate during the operator\'s grace period; then the old one is removed.',
      properties: {
        periodDays: { type: 'integer', description: 'Rotate when the current secret is this many days old. Defaults to the operator\'s SECRET_ROTATION_DAYS.', minimum: 1, maximum: 3650 },
        generation: { type: 'integer', description: 'Change this number to rotate the secret now (e.g. after a suspected leak).', minimum: 0, maximum: 2_147_483_647 },
      },
    },
  },
  'x-kubernetes-validations': [
    celRules.publicMeansAuthMethodNone,
    celRules.publicRequiresPkce,
    celRules.confidentialNeedsSecret,
    celRules.publicHasNoSecret,
    celRules.clientCredentialsNeedsConfidential,
    celRules.authorizationCodeNeedsRedirectUri,
    celRules.refreshTokenNeedsAuthorizationCode,
    celRules.clientIdImmutable,
    celRules.clientTypeImmutable,
  ],
};
