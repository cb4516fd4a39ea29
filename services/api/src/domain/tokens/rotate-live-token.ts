import { refreshTokenFamilies, tableRowSql, users, type Database, type RefreshTokenFamily } from '@lanyard/db';
import { CLAIMS_SUBJECT_COLUMNS, type ClaimsSubject } from './user-claims.js';

/** What the one-statement rotation needs: the presented token, its successor, and every rule's input. */
export interface LiveRotation {
  readonly hash: Buffer;
  readonly successorHash: Buffer;
  readonly now: Date;
  /** The successor's idle expiry before the family's absolute expiry caps it. */
  readonly idleExpiresAt: Date;
  readonly tenantId: string;
  readonly clientRef: string;
  readonly delivery: 'cookie' | 'body';
  readonly narrowScopes: readonly string[] | undefined;
}

const family = tableRowSql(refreshTokenFamilies, 'f');
const user = tableRowSql(users, 'u', { only: CLAIMS_SUBJECT_COLUMNS });

/**
 * Every rule of `checkRow` and the request's own checks (delivery, scope narrowing), evaluated in
 * the statement that marks the token used and inserts its successor. A token that breaks any of
 * them yields no row and nothing is written; the caller's locked path then finds out which rule it
 * broke. `used_at is null` is re-checked on the latest row version when a concurrent refresh got
 * there first (READ COMMITTED), so exactly one of them rotates.
 */
const STATEMENT = `with live as (
    select t.token_hash, ${family.list}, ${user.list}
    from refresh_tokens t
    join refresh_token_families f on f.id = t.family_id
    join users u on u.id = f.user_id
    left join sessions s on s.id = f.session_id
    where t.token_hash = $1 and t.used_at is null and t.expires_at > $3
      and f.tenant_id = $5 and f.client_ref = $6 and f.revoked_at is null and f.absolute_expires_at > $3
      and not u.disabled
      and f.delivery = $7
      and ($8::text[] is null or $8::text[] <@ f.scopes)
      and ('offline_access' = any(f.scopes) or (s.id is not null and s.revoked_at is null and s.expires_at > $3))),
  used as (
    update refresh_tokens set used_at = $3 from live
    where refresh_tokens.token_hash = live.token_hash and refresh_tokens.used_at is null
    returning refresh_tokens.family_id),
  successor as (
    insert into refresh_tokens (token_hash, family_id, created_at, expires_at)
    select $2, used.family_id, $3, least($4::timestamptz, f.absolute_expires_at)
    from used join refresh_token_families f on f.id = used.family_id)
  select live.* from live where exists (select 1 from used)`;

/**
 * Rotates a live token in one round trip (one prepared statement, autocommit): the family and user
 * it belongs to, or `undefined` when any rule refused it or a concurrent refresh won.
 */
export async function rotateLiveToken(db: Database, rotation: LiveRotation): Promise<{ family: RefreshTokenFamily; user: ClaimsSubject } | undefined> {
  const result = await db.$client.query<Record<string, unknown>>({
    name: 'lanyard_refresh_rotate_live',
    text: STATEMENT,
    values: [
      rotation.hash,
      rotation.successorHash,
      rotation.now,
      rotation.idleExpiresAt,
      rotation.tenantId,
      rotation.clientRef,
      rotation.delivery,
      rotation.narrowScopes === undefined ? null : [...rotation.narrowScopes],
    ],
  });
  const [row] = result.rows;
  return row === undefined ? undefined : { family: family.decode(row), user: user.decode(row) };
}
