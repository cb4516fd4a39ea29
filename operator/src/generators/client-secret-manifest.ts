import type { V1OwnerReference, V1Secret } from '@kubernetes/client-node';
import { managedLabels } from './managed-labels.js';
import { secretFingerprint } from './secret-fingerprint.js';
import { ANNOTATIONS, SECRET_KEYS } from './well-known-names.js';

/** What a client Secret must hold. */
export interface StoredCredential {
  /** CLIENT_SECRET. */
  readonly value: string;
  /** Its registration id in the identity service, once known. */
  readonly id?: string;
  /** A rotation's next secret, not yet registered. */
  readonly pending?: string;
  /** The `rotation.generation` this credential satisfies. */
  readonly rotationGeneration: number;
}

/** Inputs of {@link clientSecretManifest}. */
export interface ClientSecretManifestInput {
  readonly tenantName: string;
  readonly namespace: string;
  readonly secretName: string;
  readonly clientName: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly credential: StoredCredential;
  /** The controller reference; omitted when orphaning (deletionPolicy Orphan). */
  readonly owner?: V1OwnerReference;
}

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

/**
 * The full apply configuration of a client Secret (keys CLIENT_ID, CLIENT_SECRET, ISSUER_URL).
 * Server-side apply removes fields this manager applied before and leaves out now, which is how a
 * promoted PENDING_CLIENT_SECRET disappears; so the manifest is always complete, never a diff.
 */
export function clientSecretManifest(input: ClientSecretManifestInput): V1Secret {
  const { credential } = input;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: input.secretName,
      namespace: input.namespace,
      labels: managedLabels(input.tenantName, 'client-secret', input.clientName),
      annotations: {
        [ANNOTATIONS.secretSha256]: secretFingerprint(credential.value),
        [ANNOTATIONS.rotationGeneration]: String(credential.rotationGeneration),
        ...(credential.id === undefined ? {} : { [ANNOTATIONS.secretId]: credential.id }),
      },
      ...(input.owner === undefined ? {} : { ownerReferences: [input.owner] }),
    },
    type: 'Opaque',
    data: {
      [SECRET_KEYS.clientId]: b64(input.clientId),
      [SECRET_KEYS.clientSecret]: b64(credential.value),
      [SECRET_KEYS.issuerUrl]: b64(input.issuer),
      ...(credential.pending === undefined ? {} : { [SECRET_KEYS.pendingClientSecret]: b64(credential.pending) }),
    },
  };
}
