import type { ValidationRule } from './json-schema-props.js';

/**
 * The CEL rules of the IdentityTenant schema (KEP-2876), named so tests can assert each one is what
 * rejected an object. They mirror the identity service's own checks
 * (services/api `validate-client-spec.ts`), so a bad spec fails at `kubectl apply` instead of in a
 * reconcile loop.
 */
export const celRules = {
  /** Tenant names are issuer path segments (docs/reference/urls.md): DNS labels, not subdomains. */
  tenantNameIsDnsLabel: {
    rule: "self.metadata.name.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')",
    message: 'metadata.name must be a DNS label (lowercase letters, digits and -, at most 63 characters): it is the issuer path segment',
  },
  /** Two list entries must not resolve to the same OAuth client id (the default is `<tenant>-<name>`). */
  uniqueClientIds: {
    rule:
      "!has(self.spec.clients) || self.spec.clients.all(c, self.spec.clients.exists_one(d, (has(d.clientId) ? d.clientId : self.metadata.name + '-' + d.name) == (has(c.clientId) ? c.clientId : self.metadata.name + '-' + c.name)))",
    message: 'every client must have a distinct clientId (the default is <tenant>-<name>)',
    fieldPath: '.spec.clients',
  },
  /** Moving Secrets between namespaces would strand consumers; recreate the tenant instead. */
  namespaceImmutable: {
    rule: 'self == oldSelf',
    message: 'namespace is immutable',
  },
  /** RFC 7591 §2: a public client authenticates with `none`, a confidential one never does. */
  publicMeansAuthMethodNone: {
    rule: "!has(self.tokenEndpointAuthMethod) || ((self.type == 'Public') == (self.tokenEndpointAuthMethod == 'none'))",
    message: "tokenEndpointAuthMethod must be 'none' for Public clients and client_secret_basic or client_secret_post for Confidential clients",
    fieldPath: '.tokenEndpointAuthMethod',
  },
  /** RFC 9700 §2.1.1: only a confidential client may rely on nonce instead of PKCE. */
  publicRequiresPkce: {
    rule: "!has(self.pkce) || self.pkce == 'Required' || self.type == 'Confidential'",
    message: 'Public clients always require PKCE; pkce: Optional is for Confidential clients only',
    fieldPath: '.pkce',
  },
  /** The operator must have somewhere to put a confidential client's credentials. */
  confidentialNeedsSecret: {
    rule: "self.type != 'Confidential' || has(self.secret)",
    message: 'Confidential clients need secret.name: the Secret that receives CLIENT_ID, CLIENT_SECRET and ISSUER_URL',
    reason: 'FieldValueRequired',
    fieldPath: '.secret',
  },
  /** A public client has no credentials to store or rotate. */
  publicHasNoSecret: {
    rule: "self.type != 'Public' || (!has(self.secret) && !has(self.rotation))",
    message: 'Public clients have no secret: remove secret and rotation',
    reason: 'FieldValueForbidden',
  },
  /** RFC 6749 §4.4: client_credentials requires client authentication. */
  clientCredentialsNeedsConfidential: {
    rule: "self.type == 'Confidential' || !self.grantTypes.exists(g, g == 'client_credentials')",
    message: 'client_credentials is only allowed for Confidential clients (RFC 6749 §4.4)',
    fieldPath: '.grantTypes',
  },
  /** OAuth 2.1 §2.3.1: the authorization code flow redirects to a registered URI. */
  authorizationCodeNeedsRedirectUri: {
    rule: "!self.grantTypes.exists(g, g == 'authorization_code') || (has(self.redirectUris) && size(self.redirectUris) > 0)",
    message: 'authorization_code needs at least one redirectUri',
    reason: 'FieldValueRequired',
    fieldPath: '.redirectUris',
  },
  /** RFC 6749 §4.4.3: no refresh tokens for client_credentials; they accompany authorization codes. */
  refreshTokenNeedsAuthorizationCode: {
    rule: "!self.grantTypes.exists(g, g == 'refresh_token') || self.grantTypes.exists(g, g == 'authorization_code')",
    message: 'refresh_token is only issued together with authorization_code',
    fieldPath: '.grantTypes',
  },
  /** OAuth 2.1 §2.3 and RFC 8252 §7.3: https, or http only on a loopback host; never a fragment. */
  redirectUriHttpsOrLoopback: {
    rule:
      "isURL(self) && !self.contains('#') && url(self).getHostname() != '' && (url(self).getScheme() == 'https' || (url(self).getScheme() == 'http' && url(self).getHostname() in ['127.0.0.1', '::1', 'localhost']))",
    message: 'must be an absolute https URI, or http on a loopback host (127.0.0.1, [::1], localhost), without a fragment',
  },
  /**
   * An upstream issuer (OpenID Connect Discovery §4.3, RFC 8414 §2): https, or http only on a
   * loopback host (a local test upstream); no query and no fragment.
   */
  issuerHttpsOrLoopback: {
    rule:
      "isURL(self) && !self.contains('#') && !self.contains('?') && url(self).getHostname() != '' && (url(self).getScheme() == 'https' || (url(self).getScheme() == 'http' && url(self).getHostname() in ['127.0.0.1', '::1', 'localhost']))",
    message: 'issuer must be an absolute https URL, or http on a loopback host (127.0.0.1, [::1], localhost), without a query or fragment',
  },
  /** Client ids are registered in the identity service and baked into consumers; they never change. */
  clientIdImmutable: {
    rule: 'has(self.clientId) == has(oldSelf.clientId) && (!has(self.clientId) || self.clientId == oldSelf.clientId)',
    message: 'clientId is immutable; add a client with a new name instead',
    fieldPath: '.clientId',
  },
  /** The identity service refuses to change a client's type (409): it would silently drop authentication. */
  clientTypeImmutable: {
    rule: 'self.type == oldSelf.type',
    message: 'type is immutable; add a client with a new name instead',
    fieldPath: '.type',
  },
} as const satisfies Record<string, ValidationRule>;

/** Name of a rule in {@link celRules}. */
export type CelRuleName = keyof typeof celRules;
