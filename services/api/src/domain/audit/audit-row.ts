import { isUuid } from '../uuid.js';

/**
 * One audit event as it travels from the request to the table: through the in-memory buffer, the
 * spool file and the replay tool. Plain JSON values only, so a spooled line reads back unchanged.
 */
export interface AuditRow {
  /** Chosen when the event happens; the table stores each id once (migration 0006). */
  readonly eventId: string;
  /** When the event happened, in epoch milliseconds: a replayed event keeps its time. */
  readonly at: number;
  readonly tenant: string;
  readonly event: string;
  readonly result: string;
  readonly reason: string;
  readonly clientId: string | null;
  readonly userId: string | null;
  readonly ip: string | null;
  readonly requestId: string | null;
}

// NUL is refused too: PostgreSQL's text cannot hold it, so such a row could never be written.
const text = (value: unknown): value is string => typeof value === 'string' && value.length <= 1_000 && !value.includes('\u0000');
const nullableText = (value: unknown): value is string | null => value === null || text(value);

/**
 * Reads a row back from JSON (a spool line, or a log line marked for replay), refusing anything
 * that is not exactly a row: a damaged spool must never insert garbage into the audit trail.
 */
export function parseAuditRow(value: unknown): AuditRow | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const row = value as Record<string, unknown>;
  const valid =
    typeof row.eventId === 'string' &&
    isUuid(row.eventId) &&
    typeof row.at === 'number' &&
    Number.isSafeInteger(row.at) &&
    row.at > 0 &&
    text(row.tenant) &&
    text(row.event) &&
    (row.result === 'success' || row.result === 'failure') &&
    text(row.reason) &&
    nullableText(row.clientId) &&
    (row.userId === null || (typeof row.userId === 'string' && isUuid(row.userId))) &&
    nullableText(row.ip) &&
    nullableText(row.requestId);
  if (!valid) return undefined;
  return {
    eventId: row.eventId as string,
    at: row.at as number,
    tenant: row.tenant as string,
    event: row.event as string,
    result: row.result as string,
    reason: row.reason as string,
    clientId: row.clientId as string | null,
    userId: row.userId as string | null,
    ip: row.ip as string | null,
    requestId: row.requestId as string | null,
  };
}
