/**
 * TypeScript shape of an IdentityTenant (`lanyard.dev/v1alpha1`), mirroring the structural schema in
 * `identity-tenant-crd.ts`. Enums are CamelCase as Kubernetes API conventions require; the operator
 * maps them to the admin API's lowercase values.
 */

/** OAuth 2.1 grant types a client may use (no implicit or password grant exists in OAuth 2.1). */
export type IdentityTenantGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** `Public`: a browser or native app with no credentials; `Confidential`: authenticates with a secret. */
export type IdentityTenantClientType = 'Public' | 'Confidential';

/** RFC 7591 §2 `token_endpoint_auth_method`; must agree with `type` when given. */
export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** PKCE policy of a client (Kubernetes enums are CamelCase). */
export type PkcePolicy = 'Required' | 'Optional';

/** When the operator rotates a confidential client's secret. */
export interface IdentityTenantClientRotation {
  /** Rotate when the current secret is this many days old. @default the operator's SECRET_ROTATION_DAYS */
  readonly periodDays?: number;
  /** Any change of this number rotates the secret now (bump it after a suspected leak). */
  readonly generation?: number;
}

/** One OAuth client of the tenant. */
export interface IdentityTenantClient {
  /** Key of the client in the list (DNS label). */
  readonly name: string;
  /** OAuth `client_id`; immutable. @default `<tenant>-<name>` */
  readonly clientId?: string;
  readonly displayName?: string;
  readonly type: IdentityTenantClientType;
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** @default Required */
  readonly pkce?: PkcePolicy;
  readonly grantTypes: readonly IdentityTenantGrantType[];
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly allowedCorsOrigins?: readonly string[];
  readonly scopes?: readonly string[];
  readonly audience?: readonly string[];
  /** Skip the consent screen. @default false */
  readonly firstParty?: boolean;
  /** Sign-ins to this client need a second factor, whatever the tenant's `mfa.policy`. @default false */
  readonly requireMfa?: boolean;
  /** Secret in `spec.namespace` receiving CLIENT_ID, CLIENT_SECRET and ISSUER_URL (Confidential only). */
  readonly secret?: { readonly name: string };
  readonly rotation?: IdentityTenantClientRotation;
}

/** Per-tenant Grafana dashboard, delivered as a ConfigMap for the Grafana sidecar. */
export interface IdentityTenantDashboards {
  /** @default false (the CRD schema's default; the operator treats an absent value the same way) */
  readonly enabled?: boolean;
  /** @default the operator's DASHBOARDS_NAMESPACE */
  readonly namespace?: string;
}

/** Who may create an account: anyone, only through an invitation, or only administrators. */
export type IdentityTenantSignupPolicy = 'Open' | 'InviteOnly' | 'Closed';

/**
 * Self-service account policy (the admin API's `TenantAccounts`). Absent fields are left out of the
 * admin API body, so the identity service's defaults apply.
 */
export interface IdentityTenantAccounts {
  /** @default Closed */
  readonly signup?: IdentityTenantSignupPolicy;
  /** Password sign-in needs a verified email address. @default true */
  readonly requireVerifiedEmail?: boolean;
  /** 8–128 characters. @default 12 */
  readonly passwordMinLength?: number;
  /** Sender display name of the tenant's emails (1–100, no control characters). @default the tenant's displayName */
  readonly emailFromName?: string;
  /** Sender address of the tenant's emails (a bare address, ≤ 254). @default the worker's SMTP_FROM */
  readonly emailFromAddress?: string;
}

/** Whether users must use a second factor: they may enrol one, or every user must (after a grace period). */
export type IdentityTenantMfaPolicy = 'Optional' | 'Required';

/**
 * Second-factor policy (the admin API's `TenantMfa`, docs/reference/mfa.md). Absent fields are left
 * out of the admin API body, so the identity service's defaults apply.
 */
export interface IdentityTenantMfa {
  /** @default Optional */
  readonly policy?: IdentityTenantMfaPolicy;
  /** Under `Required`: days from a user's first sign-in under the policy until they must enrol (0–90; 0 forces it at once). @default 7 */
  readonly enrolmentGraceDays?: number;
}

/**
 * When an upstream identity has no local account linked yet (docs/reference/federation.md):
 * `JustInTime` creates one (or links one with the same verified email), `VerifiedEmail` links to an
 * existing account with the same address only when the upstream says it is verified,
 * `ExistingOnly` lets only identities already linked sign in. The admin API's `just-in-time`,
 * `verified-email`, `existing-only`.
 */
export type IdentityProviderLink = 'JustInTime' | 'VerifiedEmail' | 'ExistingOnly';

/** Which upstream ID-token/userinfo claims mean what; each defaults to its OpenID Connect Core name. */
export interface IdentityProviderClaims {
  /** @default sub */
  readonly subject?: string;
  /** @default email */
  readonly email?: string;
  /** @default email_verified */
  readonly emailVerified?: string;
  /** @default name */
  readonly name?: string;
}

/** A key of a Secret in `spec.namespace` that the operator only reads. */
export interface SecretKeyReference {
  readonly name: string;
  readonly key: string;
}

/** An upstream OpenID Connect provider users of the tenant may sign in with (`{ISSUER}/federation/{name}/…`). */
export interface IdentityTenantIdentityProvider {
  /** Key of the provider in the list and path segment of its federation URLs (DNS label). */
  readonly name: string;
  /** Label of its button on the sign-in page. @default the name */
  readonly displayName?: string;
  /** The upstream issuer: https, or http on a loopback host. */
  readonly issuer: string;
  /** Our client id at the upstream. */
  readonly clientId: string;
  /** The key of a Secret in `spec.namespace` holding our client secret at the upstream. */
  readonly clientSecretRef: SecretKeyReference;
  /** Scopes asked of the upstream (`openid` is always sent). @default the identity service's: openid email profile */
  readonly scopes?: readonly string[];
  readonly claims?: IdentityProviderClaims;
  readonly link: IdentityProviderLink;
  /** A disabled provider has no button and refuses sign-ins. @default false */
  readonly disabled?: boolean;
}

/** What happens in the identity service when the IdentityTenant is deleted. */
export type DeletionPolicy = 'Delete' | 'Orphan';

/** Desired state of a tenant. */
export interface IdentityTenantSpec {
  readonly displayName: string;
  /** Namespace of the client Secrets; immutable. */
  readonly namespace: string;
  /** @default Delete */
  readonly deletionPolicy?: DeletionPolicy;
  readonly clients?: readonly IdentityTenantClient[];
  readonly dashboards?: IdentityTenantDashboards;
  readonly accounts?: IdentityTenantAccounts;
  readonly mfa?: IdentityTenantMfa;
  /** Upstream OpenID Connect providers, keyed by name. */
  readonly identityProviders?: readonly IdentityTenantIdentityProvider[];
}

/** A `metav1.Condition` (Kubernetes API conventions, "Typical status properties"). */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  /** RFC 3339; changes only when `status` changes. */
  readonly lastTransitionTime: string;
}

/** Observed state of one client. */
export interface IdentityTenantClientStatus {
  readonly name: string;
  readonly clientId: string;
  readonly ready: boolean;
  readonly secretName?: string;
  /** When the current client secret was registered (RFC 3339). */
  readonly secretCreatedAt?: string;
}

/** Observed state of a tenant, written only by the operator through the status subresource. */
export interface IdentityTenantStatus {
  readonly observedGeneration?: number;
  /** `{PUBLIC_URL}/tenants/{name}` as the identity service reports it. */
  readonly issuer?: string;
  /** `ready/total` clients, for the printer column. */
  readonly clientsReady?: string;
  readonly clients?: readonly IdentityTenantClientStatus[];
  readonly conditions?: readonly Condition[];
}

/** Just the object metadata fields the operator reads. */
export interface IdentityTenantMetadata {
  readonly name: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly finalizers?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An IdentityTenant object as the API server returns it. */
export interface IdentityTenant {
  readonly apiVersion: 'lanyard.dev/v1alpha1';
  readonly kind: 'IdentityTenant';
  readonly metadata: IdentityTenantMetadata;
  readonly spec: IdentityTenantSpec;
  readonly status?: IdentityTenantStatus;
}
