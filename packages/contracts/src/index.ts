export { TenantName, ClientIdString, Timestamp, Problem, Text, NO_CONTROL_CHARACTERS } from './admin/common.js';
export { TenantParams, TenantSpec, TenantResource, TenantRateLimits, TenantAccounts, SignupPolicy, TenantMfa, MfaPolicy } from './admin/tenants.js';
export { FactorResource, FactorList } from './admin/factors.js';
export { ProviderName, IdentityProviderParams, IdentityProvidersParams, LinkingRule, ClaimMapping, IdentityProviderSpec, IdentityProviderResource, IdentityProviderList } from './admin/identity-providers.js';
export { IdentityLinksParams, IdentityLinkParams, UpstreamSubject, IdentityLinkSpec, IdentityLinkResource, IdentityLinkList } from './admin/identity-links.js';
export {
  GrantType,
  TokenLifetimes,
  MAX_ACCESS_TOKEN_LIFETIME_SECONDS,
  ClientParams,
  ClientSecretParams,
  ClientSpec,
  ClientSecretInfo,
  ClientResource,
  ClientSecretCreate,
} from './admin/clients.js';
export { AccountProfile, UserParams, UsersParams, UserCreate, UserPatch, UserResource, UserListQuery, UserList, ConsentParams, ConsentResource, ConsentList } from './admin/users.js';
export { TenantListQuery, TenantList, ClientListQuery, ClientList, SessionListQuery, SessionList } from './admin/lists.js';
export { SessionParams, SessionResource } from './admin/sessions.js';
/** The admin scope every admin API call needs (docs/reference/admin-api.md). */
export const ADMIN_SCOPE = 'lanyard:admin';
/** The built-in tenant that holds admin clients. */
export const SYSTEM_TENANT = 'system';
/** Audience (RFC 9068 `aud`) of access tokens accepted by the admin API. */
export const ADMIN_AUDIENCE = 'urn:lanyard:admin-api';
export {
  QUEUES,
  EMAIL_JOBS,
  MAINTENANCE_JOBS,
  EMAIL_JOB_OPTIONS,
  MAINTENANCE_JOB_OPTIONS,
  bullPrefix,
  EMAIL_TEMPLATES,
  type EmailTemplate,
  type QueueName,
  type SendEmailJob,
  type JobOptions,
  isIdempotencyKey,
} from './jobs.js';
export { InvitationCreate, InvitationResource, VerificationEmailResource } from './admin/invitations.js';
