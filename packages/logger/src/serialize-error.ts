/**
 * Error fields that can carry user data: the values a failed query was sent (drizzle's `params`,
 * pg's `parameters`), the statement text itself, and PostgreSQL's `detail`/`where`/`hint`, which
 * quote row values ("Key (email)=(alice@example.com) already exists"). They never reach a log line;
 * the SQLSTATE `code`, `constraint`, `table` and `column` say enough to debug.
 */
const DROPPED_FIELDS = new Set(['params', 'parameters', 'query', 'internalQuery', 'detail', 'where', 'hint', 'position', 'internalPosition']);

/** drizzle's "Failed query: <sql>\nparams: <values>" keeps only its first words. */
const QUERY_MESSAGE = /^Failed query:[\s\S]*$/;

const MAX_DEPTH = 5;

/** A JSON-safe, secret-free view of an error (pino's `err` serializer), with its `cause` chain. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const message = sanitizeMessage(error.message);
  const output: Record<string, unknown> = { type: error.constructor?.name ?? 'Error', message };
  if (typeof error.stack === 'string') {
    const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line));
    output.stack = [`${output.type}: ${message}`, ...frames].join('\n');
  }
  for (const [key, value] of Object.entries(error)) {
    if (DROPPED_FIELDS.has(key) || key === 'message' || key === 'stack' || key === 'cause') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) output[key] = typeof value === 'string' ? value.slice(0, 500) : value;
  }
  if (error.cause !== undefined && depth < MAX_DEPTH) output.cause = serializeError(error.cause, depth + 1);
  if (error instanceof AggregateError && depth < MAX_DEPTH) output.errors = error.errors.slice(0, 5).map((e) => serializeError(e, depth + 1));
  return output;
}

function sanitizeMessage(message: string): string {
  if (QUERY_MESSAGE.test(message)) return 'Failed query (statement and parameters omitted)';
  return message.slice(0, 1_000);
}
