export { identityTenantCrd } from './identity-tenant-crd.js';
export { identityTenantCrdYaml } from './crd-to-yaml.js';
export { celRules, type CelRuleName } from './cel-rules.js';
export {
  LANYARD_GROUP,
  IDENTITY_TENANT_VERSION,
  IDENTITY_TENANT_API_VERSION,
  IDENTITY_TENANT_KIND,
  IDENTITY_TENANT_PLURAL,
  IDENTITY_TENANT_CRD_NAME,
  CLEANUP_FINALIZER,
  LIMITS,
} from './identity-tenant-names.js';
export type {
  IdentityTenant,
  IdentityTenantSpec,
  IdentityTenantStatus,
  IdentityTenantClient,
  IdentityTenantClientType,
  IdentityTenantClientRotation,
  IdentityTenantClientStatus,
  IdentityTenantDashboards,
  IdentityTenantAccounts,
  IdentityTenantSignupPolicy,
  IdentityTenantMfa,
  IdentityTenantMfaPolicy,
  IdentityTenantIdentityProvider,
  IdentityProviderLink,
  IdentityProviderClaims,
  SecretKeyReference,
  IdentityTenantGrantType,
  IdentityTenantMetadata,
  TokenEndpointAuthMethod,
  PkcePolicy,
  DeletionPolicy,
  Condition,
} from './identity-tenant-types.js';
export type { CustomResourceDefinition, JSONSchemaProps, ValidationRule, PrinterColumn } from './json-schema-props.js';
