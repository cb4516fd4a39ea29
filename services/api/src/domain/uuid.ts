/**
 * The textual form of a UUID (RFC 9562 §4), any case, as PostgreSQL's `uuid` type reads it. Ids
 * from a request that fail this (ajv's `urn:uuid:` form among them) cannot name a row, so they are
 * answered without a query (and never reach PostgreSQL, which would raise on the cast).
 */
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID_TEXT.test(value);
