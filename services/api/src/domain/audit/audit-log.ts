import { epochMs, type Clock } from '@lanyard/clock';
import type { ApiMetrics, AuthEvent, AuthResult } from '@lanyard/metrics';
import type { Logger } from '@lanyard/logger';
import { isDatabaseUnavailable } from '@lanyard/db';
import type { AuthFailureReason, MfaFactorUsed } from './auth-failure-reason.js';
import type { AuditRow } from './audit-row.js';
import { timeOrderedUuid } from '../time-ordered-uuid.js';

/** What {@link AuditLog.record} takes; the narrow view endpoints depend on is {@link AuditRecorder}. */
export interface AuthEventRecord {
  readonly tenant: string;
  readonly event: AuthEvent;
  readonly result: AuthResult;
  readonly reason?: AuthFailureReason | MfaFactorUsed | '';
  readonly clientId?: string | null;
  readonly userId?: string | null;
  readonly ip?: string | null;
  readonly requestId?: string | null;
}

/** What {@link AuditLog.recordAdminAction} takes. */
export interface AdminActionRecord {
  readonly tenant: string;
  readonly action: 'mfa_reset' | 'identity_linked' | 'identity_unlinked';
  readonly clientId: string | null;
  readonly userId: string;
  readonly ip: string | null;
  readonly requestId: string | null;
}

/** The only part of the audit log an endpoint needs. */
export type AuditRecorder = Pick<AuditLog, 'record'>;

/** Where batches go: the `audit_events` table (idempotent per event id). */
export interface AuditSink {
  insert(rows: readonly AuditRow[]): Promise<unknown>;
}

/** Where events wait, durably, while the database refuses them (a local file; see infra/). */
export interface AuditSpool {
  /** Resolves once the rows are on disk; rejects when they cannot be kept (full, unwritable). */
  append(rows: readonly AuditRow[]): Promise<void>;
  /** Writes every spooled row through `write` and forgets what was written; the count replayed. */
  replay(write: (rows: readonly AuditRow[]) => Promise<unknown>): Promise<number>;
  /** The rows this process spooled and has not replayed. */
  held(): Promise<AuditRow[]>;
  /** How many rows this process spooled and has not replayed. */
  readonly pending: number;
  release(): void;
}

export interface AuditLogOptions {
  /** Events that trigger a write before the interval. @default 500 */
  readonly batchSize?: number;
  /** How often buffered events are written. @default 1000 */
  readonly intervalMs?: number;
  /** Events held in memory during an outage before the oldest half moves to the spool. @default 20000 */
  readonly maxBuffered?: number;
  /** Longest wait between retries while the database refuses writes. @default 30000 */
  readonly retryMaxMs?: number;
}

/** Rows per insert; a catch-up after an outage writes in pieces of this size. */
const WRITE_CHUNK = 5_000;

/** Longest text kept per field: a client id or request id an attacker chose cannot bloat the trail. */
const MAX_FIELD_LENGTH = 256;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/**
 * Every recorded field as PostgreSQL will take it: no NUL (which `text` refuses, and one such row
 * would stall the whole trail behind it) and no other control characters, and bounded in length.
 */
function auditText(value: string): string;
function auditText(value: string | null | undefined): string | null;
function auditText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value.slice(0, MAX_FIELD_LENGTH).replace(CONTROL_CHARACTERS, '\ufffd');
}

type AuditMetrics = Pick<ApiMetrics, 'authEvents' | 'auditBuffered' | 'auditSpooled' | 'auditDropped'>;

/**
 * Records authentication events: counted at once in `identity_auth_events_total`, written to the
 * audit table in batches (every second or 500 events), so the token hot path makes no database
 * write of its own.
 *
 * Nothing is dropped while the database is away: a batch that fails goes back to the buffer and is
 * retried with exponential backoff. Past `maxBuffered` events, the oldest half moves to the spool
 * (fsynced JSON lines), replayed once writes succeed again, by this process or the next. Shutdown
 * writes what it can and spools the rest; if the database is still away then, every spooled
 * event is also logged as `auditReplay` (the log pipeline outlives the pod's disk) for
 * `replay-audit`. Only when the spool refuses too, or the database refuses a row for good, is an
 * event counted in `identity_audit_events_dropped_total`, and then it is logged for replay as well.
 * Each event has an id, so a write repeated after a lost reply, or a replay, stores it once.
 */
export class AuditLog {
  #buffer: AuditRow[] = [];
  #writing: Promise<void> = Promise.resolve();
  #spooling: Promise<unknown> = Promise.resolve();
  /** Files from an earlier run may be waiting, so the first successful write replays. */
  #spoolMayHoldRows = true;
  #retryDelayMs = 0;
  #retryAt = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #batchSize: number;
  readonly #intervalMs: number;
  readonly #maxBuffered: number;
  readonly #retryMaxMs: number;

  constructor(
    private readonly sink: AuditSink,
    private readonly spool: AuditSpool,
    private readonly metrics: AuditMetrics,
    private readonly log: Logger,
    private readonly clock: Clock,
    options: AuditLogOptions = {},
  ) {
    this.#batchSize = options.batchSize ?? 500;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#maxBuffered = options.maxBuffered ?? 20_000;
    this.#retryMaxMs = options.retryMaxMs ?? 30_000;
    this.#timer = setInterval(() => {
      if (epochMs(this.clock) >= this.#retryAt) void this.flush();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  record(event: AuthEventRecord): void {
    // A success has no reason, except an `mfa` one, whose reason names the factor used.
    const reason = event.result === 'success' && event.event !== 'mfa' ? '' : (event.reason ?? '');
    this.metrics.authEvents.inc({ tenant: event.tenant, event: event.event, result: event.result, reason });
    this.#append(event.event, reason, event);
  }

  /**
   * An administrative change to a user's authentication (an admin resetting their second
   * factors): into the same durable trail, but not an authentication event, so it adds nothing to
   * `identity_auth_events_total`. `clientId` is the admin client that made it.
   */
  recordAdminAction(action: AdminActionRecord): void {
    this.#append(action.action, '', { ...action, result: 'success' });
  }

  #append(event: string, reason: string, fields: Omit<AuthEventRecord, 'event' | 'reason'>): void {
    const at = epochMs(this.clock);
    this.#buffer.push({
      // Time-ordered, so the unique index on event_id grows at its right edge.
      eventId: timeOrderedUuid(at),
      at,
      tenant: auditText(fields.tenant),
      event,
      result: fields.result,
      reason,
      clientId: auditText(fields.clientId),
      userId: fields.userId ?? null,
      ip: auditText(fields.ip),
      requestId: auditText(fields.requestId),
    });
    if (this.#buffer.length > this.#maxBuffered) this.#spill();
    else if (this.#buffer.length === this.#batchSize && this.#retryDelayMs === 0) void this.flush();
  }

  /**
   * Writes what is buffered (and replays the spool), now, whatever the backoff. Resolves when
   * everything recorded so far is in the table, or kept (buffer or spool) because the database
   * refused.
   */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#write());
    return this.#writing.then(() => this.#spooling).then(() => this.#gauges());
  }

  /** Stops the timer, writes what it can, and keeps the rest for the next process. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    const left = this.#buffer.splice(0);
    if (left.length > 0) await this.#keep(left);
    await this.#spooling;
    if (this.spool.pending > 0) {
      // The spool's disk may go with the pod: the log pipeline keeps a copy for replay-audit.
      const held = await this.spool.held().catch(() => []);
      for (const row of held) this.log.warn({ auditReplay: row }, 'audit event kept for replay');
      this.log.warn({ spooled: held.length }, 'audit events left in the spool for the next start');
    }
    this.spool.release();
    this.#gauges();
  }

  async #write(): Promise<void> {
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.splice(0, WRITE_CHUNK);
      try {
        await this.#insert(batch);
      } catch (error) {
        this.#buffer = batch.concat(this.#buffer);
        this.#failed(error);
        return;
      }
    }
    if (this.#spoolMayHoldRows) {
      // Cleared before the replay: rows spilled while it runs set it again.
      this.#spoolMayHoldRows = false;
      try {
        const replayed = await this.#spoolTask(() => this.spool.replay((rows) => this.#insert(rows)));
        if (replayed > 0) this.log.info({ replayed }, 'audit events replayed from the spool');
      } catch (error) {
        this.#spoolMayHoldRows = true;
        this.#failed(error);
        return;
      }
      if (this.spool.pending > 0) this.#spoolMayHoldRows = true;
    }
    if (this.#retryDelayMs > 0) this.log.info({}, 'audit events are written again');
    this.#retryDelayMs = 0;
    this.#retryAt = 0;
    this.#gauges();
  }

  /**
   * Inserts a batch. Only an unreachable database is worth a retry; any other refusal would refuse
   * the same rows forever and hold up every event behind them. The batch is halved until the
   * refused rows are alone, and those are set aside: logged for replay and counted as dropped.
   */
  async #insert(rows: readonly AuditRow[]): Promise<void> {
    try {
      await this.sink.insert(rows);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      if (rows.length === 1) return this.#setAside(rows, error, 'an audit event was refused by the database; logged for replay instead');
      const half = Math.ceil(rows.length / 2);
      await this.#insert(rows.slice(0, half));
      await this.#insert(rows.slice(half));
    }
  }

  #setAside(rows: readonly AuditRow[], error: unknown, message: string): void {
    this.metrics.auditDropped.inc(rows.length);
    this.log.error({ err: error, dropped: rows.length }, message);
    for (const row of rows) this.log.error({ auditReplay: row }, 'audit event kept for replay');
  }

  #failed(error: unknown): void {
    this.#retryDelayMs = Math.min(this.#retryDelayMs === 0 ? this.#intervalMs : this.#retryDelayMs * 2, this.#retryMaxMs);
    this.#retryAt = epochMs(this.clock) + this.#retryDelayMs;
    this.log.warn({ err: error, buffered: this.#buffer.length, spooled: this.spool.pending, retryInMs: this.#retryDelayMs }, 'audit events could not be written yet; kept for a retry');
    this.#gauges();
  }

  /** Moves the oldest half of the buffer to the spool, so memory stays bounded in a long outage. */
  #spill(): void {
    const rows = this.#buffer.splice(0, this.#buffer.length - Math.floor(this.#maxBuffered / 2));
    void this.#keep(rows);
  }

  /** Hands rows to the spool; if it refuses, logs them for replay and counts them as dropped. */
  async #keep(rows: AuditRow[]): Promise<void> {
    this.#spoolMayHoldRows = true;
    try {
      await this.#spoolTask(() => this.spool.append(rows));
    } catch (error) {
      this.#setAside(rows, error, 'audit events could not be spooled; logged for replay instead');
    }
    this.#gauges();
  }

  /** Spool operations run one at a time: a replay never reads a file an append is writing. */
  #spoolTask<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#spooling.then(task);
    this.#spooling = next.catch(() => undefined);
    return next;
  }

  #gauges(): void {
    this.metrics.auditBuffered.set(this.#buffer.length);
    this.metrics.auditSpooled.set(this.spool.pending);
  }
}
