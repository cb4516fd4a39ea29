import { ApiException } from '@kubernetes/client-node';

/** HTTP status of a failed Kubernetes API call, if it was one. */
export function kubeStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? (error as ApiException<unknown>).code : undefined;
}

/**
 * Runs a read or delete and turns 404 into `undefined`: "absent" is an observation, not a failure
 * (client-node throws for every non-2xx). Every other error propagates to the queue boundary.
 */
export async function absentOn404<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (kubeStatus(error) === 404) return undefined;
    throw error;
  }
}
