import { LIMITS } from './identity-tenant-names.js';
import type { JSONSchemaProps } from './json-schema-props.js';

/** `metav1.Condition`, as controller-gen emits it (Kubernetes API conventions, "Typical status properties"). */
const conditionSchema: JSONSchemaProps = {
  type: 'object',
  description: 'A condition of one aspect of the tenant (Kubernetes API conventions).',
  required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
  properties: {
    type: { type: 'string', description: 'Ready, or the part the condition is about (TenantReady, SecretsReady, ClientsReady, IdentityProvidersReady, DashboardsReady).', maxLength: 316, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$' },
    status: { type: 'string', description: 'True, False or Unknown.', enum: ['True', 'False', 'Unknown'] },
    observedGeneration: { type: 'integer', description: 'metadata.generation the condition was computed from.', minimum: 0 },
    lastTransitionTime: { type: 'string', format: 'date-time', description: 'When status last changed.' },
    reason: { type: 'string', description: 'CamelCase reason of the last transition, e.g. Reconciled, IdentityServiceUnavailable, SecretConflict.', minLength: 1, maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' },
    message: { type: 'string', description: 'Human-readable details.', maxLength: 32_768 },
  },
};

const clientStatusSchema: JSONSchemaProps = {
  type: 'object',
  description: 'Observed state of one client.',
  required: ['name', 'clientId', 'ready'],
  properties: {
    name: { type: 'string', description: 'The client\'s name in spec.clients.', maxLength: LIMITS.dnsLabel },
    clientId: { type: 'string', description: 'The OAuth client_id registered in the identity service.', maxLength: LIMITS.clientId },
    ready: { type: 'boolean', description: 'The client and its Secret match the spec.' },
    secretName: { type: 'string', description: 'The Secret holding its credentials.', maxLength: LIMITS.dnsSubdomain },
    secretCreatedAt: { type: 'string', format: 'date-time', description: 'When the current client secret was registered.' },
  },
};

/** Schema of `status`, written only by the operator through the status subresource. */
export const statusSchema: JSONSchemaProps = {
  type: 'object',
  description: 'Observed state, written by the operator.',
  properties: {
    observedGeneration: { type: 'integer', description: 'The metadata.generation the operator last reconciled.', minimum: 0 },
    issuer: { type: 'string', description: 'The tenant\'s OpenID Connect issuer URL.', maxLength: LIMITS.uri },
    clientsReady: { type: 'string', description: 'Ready clients out of all clients, e.g. 2/3.', maxLength: 16 },
    clients: {
      type: 'array',
      description: 'Observed state of each client the operator manages.',
      maxItems: LIMITS.clients,
      items: clientStatusSchema,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
    conditions: {
      type: 'array',
      description: 'Ready summarises the others: TenantReady, SecretsReady, ClientsReady, IdentityProvidersReady, DashboardsReady.',
      maxItems: 16,
      items: conditionSchema,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    },
  },
};
