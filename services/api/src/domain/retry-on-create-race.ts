import { isUniqueViolation } from './users/unique-violation.js';

/**
 * Runs a create-or-update transaction once more when a concurrent one created the same row first.
 * `select … for update` locks no row that does not exist yet, so two first PUTs of one resource
 * both insert and the unique index refuses the second; run again, it finds the row and updates it.
 * Concurrent identical PUTs then all succeed, as a declarative API should.
 */
export async function retryOnCreateRace<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return write();
  }
}
