import { bigint, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

/**
 * Append-only record of authentication events. Keyed by tenant *name* rather than a foreign key, so
 * the trail survives the deletion of a tenant, user or client. `created_at` is when the event
 * happened, not when its batch reached the table.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /**
     * Chosen by the API when the event happens, so a batch written again after a lost reply or
     * replayed from the spool is stored once (rows written before migration 0006 have none).
     */
    eventId: uuid('event_id').unique(),
    tenant: text('tenant').notNull(),
    event: text('event').notNull(),
    result: text('result', { enum: ['success', 'failure'] }).notNull(),
    reason: text('reason').notNull().default(''),
    clientId: text('client_id'),
    userId: uuid('user_id'),
    ip: text('ip'),
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_tenant_created').on(t.tenant, t.createdAt)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
