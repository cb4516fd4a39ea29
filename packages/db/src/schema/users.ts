import { boolean, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant, updatedAt } from './columns.js';
import { tenants } from './tenants.js';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    /** Stored lower-cased and trimmed so uniqueness is per mailbox, not per spelling. */
    email: text('email').notNull(),
    emailVerified: boolean('email_verified').notNull().default(false),
    name: text('name'),
    /** Argon2id PHC string; null for users who only log in through a federated provider. */
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    passwordChangedAt: instant('password_changed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('users_tenant_email').on(t.tenantId, t.email)],
);

export type User = typeof users.$inferSelect;
