/** API group of every Lanyard custom resource. */
export const LANYARD_GROUP = 'lanyard.dev';
/** The only served (and stored) version; alpha until the schema has seen real clusters. */
export const IDENTITY_TENANT_VERSION = 'v1alpha1';
/** `apiVersion` of IdentityTenant objects. */
export const IDENTITY_TENANT_API_VERSION = `${LANYARD_GROUP}/${IDENTITY_TENANT_VERSION}`;
export const IDENTITY_TENANT_KIND = 'IdentityTenant';
/** REST resource name (`/apis/lanyard.dev/v1alpha1/identitytenants`). */
export const IDENTITY_TENANT_PLURAL = 'identitytenants';
/** `metadata.name` of the CRD: `<plural>.<group>`. */
export const IDENTITY_TENANT_CRD_NAME = `${IDENTITY_TENANT_PLURAL}.${LANYARD_GROUP}`;

/** Finalizer the operator adds before any external effect (docs/reference/identity-tenant.md). */
export const CLEANUP_FINALIZER = 'lanyard.dev/cleanup';

/** Bounds of the schema, shared with generators and tests so they cannot drift apart. */
export const LIMITS = {
  clients: 20,
  uris: 20,
  scopes: 50,
  audiences: 20,
  dnsLabel: 63,
  dnsSubdomain: 253,
  clientId: 128,
  displayName: 200,
  uri: 2000,
  scope: 200,
  audience: 500,
  /** `spec.accounts.emailFromName`, as the admin API's TenantAccounts. */
  emailFromName: 100,
  /** An email address (RFC 5321 path limit, as the admin API). */
  email: 254,
  /** Bounds of `spec.accounts.passwordMinLength` (NIST SP 800-63B: at least 8). */
  passwordMinLengthMin: 8,
  passwordMinLengthMax: 128,
  /** Bounds of `spec.mfa.enrolmentGraceDays`, as the admin API's TenantMfa. */
  enrolmentGraceDaysMin: 0,
  enrolmentGraceDaysMax: 90,
  /** `spec.identityProviders`, at most this many. */
  identityProviders: 20,
  /** `spec.identityProviders[].displayName`, as the admin API's IdentityProviderSpec. */
  providerDisplayName: 100,
  /** `spec.identityProviders[].clientId`, as the admin API. */
  providerClientId: 500,
  /** `spec.identityProviders[].scopes`, as the admin API. */
  providerScopes: 20,
  /** Each claim name of `spec.identityProviders[].claims`, as the admin API's ClaimMapping. */
  claimName: 100,
  /** A Secret data key (Kubernetes: a DNS subdomain's length, `[-._a-zA-Z0-9]+`). */
  secretKey: 253,
} as const;
