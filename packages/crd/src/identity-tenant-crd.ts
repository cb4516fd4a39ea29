import { accountsSchema } from './accounts-schema.js';
import { celRules } from './cel-rules.js';
import { clientSchema } from './client-schema.js';
import { identityProviderSchema } from './identity-provider-schema.js';
import {
  IDENTITY_TENANT_CRD_NAME,
  IDENTITY_TENANT_KIND,
  IDENTITY_TENANT_PLURAL,
  IDENTITY_TENANT_VERSION,
  LANYARD_GROUP,
  LIMITS,
} from './identity-tenant-names.js';
import type { CustomResourceDefinition, JSONSchemaProps } from './json-schema-props.js';
import { mfaSchema } from './mfa-schema.js';
import { statusSchema } from './status-schema.js';

const specSchema: JSONSchemaProps = {
  type: 'object',
  description: 'Desired state of the tenant in the identity service.',
  required: ['displayName', 'namespace'],
  properties: {
    displayName: { type: 'string', description: 'Human-readable tenant name shown on hosted pages.', minLength: 1, maxLength: LIMITS.displayName },
    namespace: {
      type: 'string',
      description: 'Namespace that receives the client Secrets. Immutable.',
      minLength: 1,
      maxLength: LIMITS.dnsLabel,
      pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
      'x-kubernetes-validations': [celRules.namespaceImmutable],
    },
    deletionPolicy: {
      type: 'string',
      description: 'Delete removes the tenant (and all its clients and users) from the identity service when this object is deleted; Orphan leaves it, and its Secrets, in place.',
      enum: ['Delete', 'Orphan'],
      default: 'Delete',
    },
    clients: {
      type: 'array',
      description: 'OAuth clients of the tenant, keyed by name. A client removed from this list is deleted from the identity service together with its Secret.',
      maxItems: LIMITS.clients,
      items: clientSchema,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
    dashboards: {
      type: 'object',
      description: 'A per-tenant Grafana dashboard, delivered as a ConfigMap for the Grafana sidecar (label grafana_dashboard=1).',
      properties: {
        enabled: { type: 'boolean', description: 'Create the dashboard ConfigMap.', default: false },
        namespace: {
          type: 'string',
          description: 'Namespace of the dashboard ConfigMap. Defaults to the operator\'s DASHBOARDS_NAMESPACE.',
          minLength: 1,
          maxLength: LIMITS.dnsLabel,
          pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
        },
      },
    },
    accounts: accountsSchema,
    mfa: mfaSchema,
    identityProviders: {
      type: 'array',
      description:
        'Upstream OpenID Connect providers users may sign in with, keyed by name (docs/reference/federation.md). A provider removed from this list is deleted from the identity service.',
      maxItems: LIMITS.identityProviders,
      items: identityProviderSchema,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
  },
};

/**
 * The IdentityTenant CustomResourceDefinition (docs/reference/identity-tenant.md): cluster-scoped because a
 * tenant is a global issuer, with a structural schema, CEL rules mirroring the identity service's
 * validation, printer columns and the status subresource (so spec and status have separate writers,
 * Kubernetes API conventions "Spec and Status").
 */
export const identityTenantCrd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: IDENTITY_TENANT_CRD_NAME, labels: { 'app.kubernetes.io/name': 'lanyard-operator', 'app.kubernetes.io/part-of': 'lanyard' } },
  spec: {
    group: LANYARD_GROUP,
    scope: 'Cluster',
    names: {
      kind: IDENTITY_TENANT_KIND,
      listKind: `${IDENTITY_TENANT_KIND}List`,
      plural: IDENTITY_TENANT_PLURAL,
      singular: 'identitytenant',
      shortNames: ['idt'],
      categories: ['lanyard'],
    },
    versions: [
      {
        name: IDENTITY_TENANT_VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Namespace', type: 'string', jsonPath: '.spec.namespace', description: 'Namespace of the client Secrets.' },
          { name: 'Clients', type: 'string', jsonPath: '.status.clientsReady', description: 'Ready clients / all clients.' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description:
              'IdentityTenant declares a Lanyard tenant: its own OpenID Connect issuer at {PUBLIC_URL}/tenants/{metadata.name}, its account and second-factor policies, its OAuth clients, Secrets with their credentials, its upstream identity providers and its dashboard.',
            required: ['spec'],
            properties: {
              apiVersion: { type: 'string', description: 'Versioned schema of this representation of an object.' },
              kind: { type: 'string', description: 'REST resource this object represents.' },
              metadata: { type: 'object' },
              spec: specSchema,
              status: statusSchema,
            },
            'x-kubernetes-validations': [celRules.tenantNameIsDnsLabel, celRules.uniqueClientIds],
          },
        },
      },
    ],
  },
};
