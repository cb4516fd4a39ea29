import { eq } from 'drizzle-orm';
import { users, type Executor } from '@lanyard/db';

/**
 * Takes the user's row lock (`FOR UPDATE`) until the transaction ends: the one order in which
 * changes to a user's second factors and recovery codes happen, so racing requests cannot each
 * see the state from before the other.
 */
export async function lockUserRow(tx: Executor, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
}
