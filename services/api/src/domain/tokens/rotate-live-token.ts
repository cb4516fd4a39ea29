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

/** A rotated token's family and user, or `undefined` when a rule refused it or a concurrent refresh won. */
export type LiveRotated = { readonly family: RefreshTokenFamily; readonly user: ClaimsSubject } | undefined;

const family = tableRowSql(refreshTokenFamilies, 'f');
const user = tableRowSql(users, 'u', { only: CLAIMS_SUBJECT_COLUMNS });

/** Where a rule reads each request value from: a parameter, or a column of the batch's input. */
interface RuleInputs {
  readonly at: string;
  readonly tenantId: string;
  readonly clientRef: string;
  readonly delivery: string;
  readonly narrowScopes: string;
}

/**
 * Every rule of `checkRow` and the request's own checks (delivery, scope narrowing), evaluated in
 * the statement that marks the token used and inserts its successor. A token that breaks any of
 * them yields no row and nothing is written; the caller's locked path then finds out which rule it
 * broke. `used_at is null` is re-checked on the latest row version when a concurrent refresh got
 * there first (READ COMMITTED), so exactly one of them rotates.
 * Both statements apply them to a presented token `t`.
 */
const liveRules = (v: RuleInputs) => `
    join refresh_token_families f on f.id = t.family_id
    join users u on u.id = f.user_id
    left join sessions s on s.id = f.session_id
    where t.used_at is null and t.expires_at > ${v.at}
      and f.tenant_id = ${v.tenantId} and f.client_ref = ${v.clientRef} and f.revoked_at is null and f.absolute_expires_at > ${v.at}
      and not u.disabled
      and f.delivery = ${v.delivery}
      and (${v.narrowScopes} is null or ${v.narrowScopes} <@ f.scopes)
      and ('offline_access' = any(f.scopes) or (s.id is not null and s.revoked_at is null and s.expires_at > ${v.at}))`;

const STATEMENT = `with live as (
    select t.token_hash, ${family.list}, ${user.list}
    from refresh_tokens t ${liveRules({ at: '$3', tenantId: '$5', clientRef: '$6', delivery: '$7', narrowScopes: '$8::text[]' })}
      and t.token_hash = $1),
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
export async function rotateLiveToken(db: Database, rotation: LiveRotation): Promise<LiveRotated> {
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

/**
 * {@link STATEMENT} for many rotations at once: the same rules, each row checked against its own
 * request's values (`unnest … with ordinality` keeps each request's position). The presented
 * hashes must be distinct (the caller's batcher sees to it): two requests for one token would
 * insert one successor twice. A narrower scope travels space-joined (RFC 6749 §3.3: a scope token
 * has no space in it), since PostgreSQL arrays cannot be ragged.
 */
const BATCH_STATEMENT = `with input as (
    select * from unnest($1::bytea[], $2::bytea[], $3::timestamptz[], $4::timestamptz[], $5::uuid[], $6::uuid[], $7::text[], $8::text[])
      with ordinality as i(hash, successor_hash, at, idle_expires_at, tenant_id, client_ref, delivery, narrow_scopes, position)),
  live as (
    select i.position, i.successor_hash, i.at, i.idle_expires_at, t.token_hash, ${family.list}, ${user.list}
    from input i
    join refresh_tokens t on t.token_hash = i.hash ${liveRules({ at: 'i.at', tenantId: 'i.tenant_id', clientRef: 'i.client_ref', delivery: 'i.delivery', narrowScopes: "string_to_array(i.narrow_scopes, ' ')" })}),
  used as (
    update refresh_tokens set used_at = live.at from live
    where refresh_tokens.token_hash = live.token_hash and refresh_tokens.used_at is null
    returning refresh_tokens.token_hash),
  successor as (
    insert into refresh_tokens (token_hash, family_id, created_at, expires_at)
    select live.successor_hash, live."f_id", live.at, least(live.idle_expires_at, live."f_absoluteExpiresAt")
    from live join used on used.token_hash = live.token_hash)
  select live.position, ${family.reselect('live')}, ${user.reselect('live')}
  from live join used on used.token_hash = live.token_hash`;

/**
 * Rotates many live tokens in one round trip and one commit: per rotation, in order, what
 * {@link rotateLiveToken} would have returned for it alone.
 */
export async function rotateLiveTokens(db: Database, rotations: readonly LiveRotation[]): Promise<LiveRotated[]> {
  const result = await db.$client.query<Record<string, unknown>>({
    name: 'lanyard_refresh_rotate_live_batch',
    text: BATCH_STATEMENT,
    values: [
      rotations.map((r) => r.hash),
      rotations.map((r) => r.successorHash),
      rotations.map((r) => r.now),
      rotations.map((r) => r.idleExpiresAt),
      rotations.map((r) => r.tenantId),
      rotations.map((r) => r.clientRef),
      rotations.map((r) => r.delivery),
      rotations.map((r) => (r.narrowScopes === undefined ? null : r.narrowScopes.join(' '))),
    ],
  });
  const rotated: LiveRotated[] = rotations.map(() => undefined);
  for (const row of result.rows) rotated[Number(row.position) - 1] = { family: family.decode(row), user: user.decode(row) };
  return rotated;
}
