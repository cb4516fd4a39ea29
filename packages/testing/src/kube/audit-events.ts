import { readFile } from 'node:fs/promises';

/** One `audit.k8s.io/v1` Event at level Metadata (the fields tests assert on). */
export interface AuditEvent {
  readonly verb: string;
  readonly requestURI: string;
  readonly user: { readonly username: string; readonly groups?: readonly string[] };
  readonly objectRef?: {
    readonly resource?: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly apiGroup?: string;
    readonly subresource?: string;
  };
  readonly responseStatus?: { readonly code?: number };
  readonly requestReceivedTimestamp: string;
  /** When the stage (ResponseComplete) was reached. */
  readonly stageTimestamp: string;
}

/**
 * Every write the API server has audited so far (the test policy drops get/list/watch). Counting
 * writes on the server side proves "no writes" without trusting or wrapping the client.
 */
export async function readAuditEvents(path: string): Promise<AuditEvent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEvent);
}
