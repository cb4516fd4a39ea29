import { Type, type StringOptions, type TSchema } from '@sinclair/typebox';

/**
 * No C0 control characters and no DEL anywhere in free text: PostgreSQL `text` cannot store NUL,
 * and no name, URI or address legitimately contains one. Refused at the schema edge with a 400
 * naming the field, before any query runs.
 */
export const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001F\\u007F]*$';

/** A free-text string without control characters. */
export const Text = (options: StringOptions = {}) => Type.String({ ...options, pattern: NO_CONTROL_CHARACTERS });

/** RFC 1123 label: tenant names are issuer path segments and Kubernetes object names. */
export const TenantName = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', minLength: 1, maxLength: 63, description: 'DNS label (RFC 1123).' });

/** Client ids appear in URLs and Secret keys; keep them to a URL-safe alphabet. */
export const ClientIdString = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', minLength: 1, maxLength: 128, description: 'URL-safe client identifier.' });

export const Timestamp = Type.String({ format: 'date-time' });

/**
 * A UUID as PostgreSQL stores it: 8-4-4-4-12 hex digits and nothing else. ajv's `format: 'uuid'`
 * also accepts `urn:uuid:…`, which the database refuses, so ids in paths are matched by this instead.
 */
export const Uuid = (options: { description?: string } = {}) =>
  Type.String({ ...options, format: 'uuid', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });

/**
 * A list's paging cursor, as every page's `nextCursor` is: unpadded base64url (RFC 4648 §5) of the
 * last key of that page, at most 200 characters. Opaque beyond that: a cursor of that shape that no
 * page returned (a key that cannot exist) is still a 400 naming `querystring/cursor`.
 */
export const Cursor = (description: string) => Type.String({ pattern: '^[A-Za-z0-9_-]*$', minLength: 1, maxLength: 200, description });

export const uniqueList = <T extends TSchema>(item: T, maxItems: number, description: string) =>
  Type.Array(item, { uniqueItems: true, maxItems, default: [], description });

/** RFC 9457 problem details, with `invalidParams` for validation failures. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    invalidParams: Type.Optional(Type.Array(Type.Object({ name: Type.String(), reason: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details.' },
);
