import { CIRCUIT_OPEN_MESSAGE } from './connect-circuit.js';

/** Socket-level failures: the server is down, restarting, or unreachable. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * SQLSTATEs that say "not now" rather than "not this": class 08 (connection exception), the
 * server shutting down or starting (57P01-57P03), too many connections (53300), and a statement
 * cancelled by `statement_timeout` (57014, an overloaded server).
 */
const UNAVAILABLE_STATE = /^(08...|57P0[123]|53300|57014)$/;

/** What node-postgres throws when it has no connection to give or no answer came, in its own words; and our circuit's refusal. */
const POOL_MESSAGES = ['timeout exceeded when trying to connect', 'Connection terminated', 'Client has encountered a connection error and is not queryable', 'Query read timeout', CIRCUIT_OPEN_MESSAGE];

/**
 * Whether an error (or one of its causes: drizzle wraps the driver's) means PostgreSQL could not
 * be reached or could not serve now. Callers answer those with 503 and Retry-After instead of 500:
 * the request was fine and may be retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATE.test(code))) return true;
    if (POOL_MESSAGES.some((message) => current instanceof Error && current.message.startsWith(message))) return true;
  }
  return false;
}
