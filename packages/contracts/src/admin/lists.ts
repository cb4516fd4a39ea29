import { Type, type Static } from '@sinclair/typebox';
import { ClientResource } from './clients.js';
import { Cursor } from './common.js';
import { SessionResource } from './sessions.js';
import { TenantResource } from './tenants.js';

/**
 * The query of every keyset-paged list, the same as `UserListQuery`: `limit` 1–200 (default 50) and
 * the opaque `cursor` a previous page returned as `nextCursor`.
 */
const pageQuery = (description: string) =>
  Type.Object(
    {
      limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
      cursor: Type.Optional(Cursor('Opaque cursor from `nextCursor`.')),
    },
    { additionalProperties: false, description },
  );

const NextCursor = Type.Union([Cursor('Pass back as `cursor` for the next page.'), Type.Null()], { description: 'Pass back as `cursor` for the next page; `null` on the last page.' });

export const TenantListQuery = pageQuery('Tenants in name order, `system` included.');
export const TenantList = Type.Object({ items: Type.Array(TenantResource), nextCursor: NextCursor });

export const ClientListQuery = pageQuery('A tenant’s clients in client-id order.');
/** Never carries a secret: `clientSecret` is only ever in the PUT response that generated it. */
export const ClientList = Type.Object({ items: Type.Array(Type.Omit(ClientResource, ['clientSecret'])), nextCursor: NextCursor });

export const SessionListQuery = pageQuery('A user’s active sessions, newest first.');
export const SessionList = Type.Object({ items: Type.Array(SessionResource), nextCursor: NextCursor });

export type TenantListQuery = Static<typeof TenantListQuery>;
export type TenantList = Static<typeof TenantList>;
export type ClientListQuery = Static<typeof ClientListQuery>;
export type ClientList = Static<typeof ClientList>;
export type SessionListQuery = Static<typeof SessionListQuery>;
export type SessionList = Static<typeof SessionList>;
