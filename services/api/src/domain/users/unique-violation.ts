const UNIQUE_VIOLATION = '23505';

/** True for PostgreSQL's unique_violation, raised directly by pg or wrapped by drizzle. */
export const isUniqueViolation = (error: unknown): boolean =>
  (error as { code?: string }).code === UNIQUE_VIOLATION || (error as { cause?: { code?: string } }).cause?.code === UNIQUE_VIOLATION;
