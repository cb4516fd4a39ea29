import type { TestApi } from '../../support/test-api.js';
import type { AdminClient } from '../../support/admin-client.js';

/** What a list endpoint's cursor carries: the base64url of the last key of the previous page. */
export const cursorOf = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

/** Cursors no page ever returned: each must be a 400 problem naming the cursor, never reach a query. */
export const BAD_CURSORS: ReadonlyArray<readonly [string, string]> = [
  ['text that decodes to invalid UTF-8', 'garbage'],
  ['characters outside base64url', '!!!!'],
  ['padded base64', `${cursorOf('acme')}==`],
  ['non-canonical base64url (trailing bits)', 'YR'],
  ['an empty string', ''],
  ['a NUL byte', '%00'],
  ['a NUL byte inside the encoded key', cursorOf('acme\u0000x')],
  ['invalid UTF-8 inside', Buffer.from([0xff, 0xfe, 0x41]).toString('base64url')],
  ['a 64 KiB string', 'A'.repeat(64 * 1024)],
  ['one character above the schema limit', 'A'.repeat(201)],
];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Follows `nextCursor` from the first page to the last and returns every item in order; `between`
 * runs after each page (e.g. to write concurrently).
 */
export async function pageThrough<T>(admin: AdminClient, path: string, limit: number, between: (page: number) => Promise<void> = async () => {}): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response = await admin.get(`${path}?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`);
    if (response.statusCode !== 200) throw new Error(`page ${pages + 1} of ${path}: ${response.statusCode} ${response.body}`);
    const page = response.json() as Page<T>;
    if (page.items.length > limit) throw new Error(`page of ${page.items.length} items for limit ${limit}`);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    await between(pages);
  } while (cursor !== null);
  return { items, pages };
}

/** An access token of a `system` client that has the admin audience but not the lanyard:admin scope. */
export async function nonAdminToken(api: TestApi, admin: AdminClient, clientId: string): Promise<string> {
  const created = await admin.put(`/tenants/system/clients/${clientId}`, {
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['metrics:read'],
    audience: ['urn:lanyard:admin-api'],
  });
  const secret = (created.json() as { clientSecret?: string }).clientSecret;
  if (secret === undefined) throw new Error(`client ${clientId} already existed`);
  const token = await api.app.inject({
    method: 'POST',
    url: '/tenants/system/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    payload: 'grant_type=client_credentials',
  });
  return (token.json() as { access_token: string }).access_token;
}
