import { customType, timestamp } from 'drizzle-orm/pg-core';

/** `timestamptz` everywhere: instants, never wall-clock times. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => instant('created_at').notNull().defaultNow();
export const updatedAt = () => instant('updated_at').notNull().defaultNow();

/** Raw bytes (hashes, ciphertexts). */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
