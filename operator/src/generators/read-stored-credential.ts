import type { V1Secret } from '@kubernetes/client-node';
import { secretFingerprint } from './secret-fingerprint.js';
import { ANNOTATIONS, SECRET_KEYS } from './well-known-names.js';

/** What an observed client Secret tells about its credential. */
export interface ObservedCredential {
  /** CLIENT_SECRET, only when it is still the value the operator wrote (fingerprint matches). */
  readonly current?: { readonly value: string; readonly id?: string };
  /** A staged rotation secret. */
  readonly pending?: string;
  /** The rotation generation the stored secret satisfies (0 when never rotated on request). */
  readonly rotationGeneration: number;
}

const decode = (data: Record<string, string> | undefined, key: string) => {
  const raw = data?.[key];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
};

/**
 * Reads the credential out of a client Secret. An edited CLIENT_SECRET (fingerprint mismatch) reads
 * as "no current secret": the identity service only keeps a hash, so a lost or altered secret can
 * only be replaced, never restored (ADR 0002).
 */
export function readStoredCredential(secret: V1Secret | undefined): ObservedCredential {
  const annotations = secret?.metadata?.annotations ?? {};
  const generation = Number.parseInt(annotations[ANNOTATIONS.rotationGeneration] ?? '0', 10);
  const rotationGeneration = Number.isSafeInteger(generation) ? generation : 0;
  const value = decode(secret?.data, SECRET_KEYS.clientSecret);
  const pending = decode(secret?.data, SECRET_KEYS.pendingClientSecret);
  const intact = value !== undefined && value !== '' && annotations[ANNOTATIONS.secretSha256] === secretFingerprint(value);
  const id = annotations[ANNOTATIONS.secretId];
  return {
    ...(intact ? { current: id === undefined ? { value } : { value, id } } : {}),
    ...(pending === undefined || pending === '' ? {} : { pending }),
    rotationGeneration,
  };
}
