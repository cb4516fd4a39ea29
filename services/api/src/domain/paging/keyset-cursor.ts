import { ValidationProblem } from '@lanyard/errors';

/**
 * Longest cursor decoded: base64url of the longest key of any list (a 128-character client id) is
 * 171 characters. Anything longer is refused before it is decoded, so a 64 KiB cursor costs nothing.
 */
const MAX_CURSOR_LENGTH = 256;

/** RFC 4648 §5 alphabet, unpadded: the only characters {@link keysetCursor.encode} produces. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The name a bad cursor is reported under, the same as a cursor the query schema refuses. */
const CURSOR_PARAM = 'querystring/cursor';

/** One page of a keyset-paged list. */
export interface KeysetPage<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * Opaque cursors of keyset-paged lists (users, tenants, clients): the base64url of the sort key of
 * the last item of the previous page, so the next page is `key > cursor ORDER BY key`, stable under
 * concurrent inserts and deletes and without OFFSET scans. Rules of {@link keysetCursor.decode}:
 * - only a canonical base64url string of at most {@link MAX_CURSOR_LENGTH} characters is decoded
 *   (Node's decoder silently skips foreign characters, so "garbage" would otherwise decode);
 * - it must re-encode to exactly the same string (no invalid UTF-8, no trailing bits);
 * - the key inside must have the shape of a real key of that list (`isKey`), so a NUL byte or any
 *   other value the column cannot hold never reaches the database.
 * Anything else is a 400 problem naming `querystring/cursor`.
 */
export const keysetCursor = {
  encode(key: string): string {
    return Buffer.from(key, 'utf8').toString('base64url');
  },

  /** The key inside a cursor from {@link encode}, or a {@link ValidationProblem}. */
  decode(raw: string, isKey: (key: string) => boolean): string {
    if (raw.length > 0 && raw.length <= MAX_CURSOR_LENGTH && BASE64URL.test(raw)) {
      const key = Buffer.from(raw, 'base64url').toString('utf8');
      if (keysetCursor.encode(key) === raw && isKey(key)) return key;
    }
    throw new ValidationProblem('cursor is not a cursor returned by this API', [{ name: CURSOR_PARAM, reason: 'invalid cursor' }]);
  },

  /**
   * The page from rows fetched with `LIMIT limit + 1`: the extra row only tells that there is more,
   * and the cursor names the last row actually returned.
   */
  page<T>(rows: readonly T[], limit: number, keyOf: (row: T) => string): KeysetPage<T> {
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last !== undefined ? keysetCursor.encode(keyOf(last)) : null };
  },
};
