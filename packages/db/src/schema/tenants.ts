import { pgTable, text, uuid, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, updatedAt } from './columns.js';

/** A tenant is an issuer: `{PUBLIC_URL}/tenants/{name}`. */
export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** DNS label (RFC 1123); the issuer path segment. */
    name: text('name').notNull().unique(),
    displayName: text('display_name').notNull(),
    /** Who owns the declaration, e.g. `lanyard-operator`; informational, shown to admins. */
    managedBy: text('managed_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('tenants_name_dns_label', sql`${t.name} ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'`)],
);

export type Tenant = typeof tenants.$inferSelect;
