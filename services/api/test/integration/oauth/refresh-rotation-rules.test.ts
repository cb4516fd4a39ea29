import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokenFamilies, users } from '@lanyard/db';
import { InvalidScope } from '@lanyard/errors';
import { tokenHash } from '@lanyard/security';
import type { NewFamily } from '../../../src/domain/tokens/refresh-token-service.js';
import { RefreshRejected } from '../../../src/domain/tokens/refresh-rejected.js';
import { rotateLiveToken, rotateLiveTokens, type LiveRotation } from '../../../src/domain/tokens/rotate-live-token.js';
import { CLAIMS_SUBJECT_COLUMNS } from '../../../src/domain/tokens/user-claims.js';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';

/**
 * The rotation rules, rule by rule, against the service and real PostgreSQL. A valid first use is
 * one statement that checks every rule in SQL ({@link rotateLiveToken}); anything it refuses goes
 * to the locked path, which names the rule in TypeScript. Each case below breaks one rule and
 * checks both: the statement writes nothing, and the service refuses for that rule's reason with
 * the token still unused. So a rule the SQL forgot would show up as a rotation that succeeded.
 */
describe('refresh token rotation rules', () => {
  let fx: OAuthFixture;
  let tenantId: string;
  let otherTenantId: string;
  let clientRef: string;
  let otherClientRef: string;

  const service = () => fx.api.ctx.refreshTokens;
  const now = () => fx.api.ctx.clock();
  const idOf = async (sql: string, values: unknown[]) => (await fx.api.database.query<{ id: string }>(sql, values)).rows[0]!.id;
  const tokenRow = async (token: string) =>
    (await fx.api.database.query<{ used_at: Date | null }>(`select used_at from refresh_tokens where token_hash = $1`, [tokenHash(token)])).rows[0];
  const tokenCount = async (familyId: string) => Number((await fx.api.database.query<{ n: string }>(`select count(*) as n from refresh_tokens where family_id = $1`, [familyId])).rows[0]!.n);

  beforeAll(async () => {
    fx = await startOAuthFixture();
    tenantId = await idOf(`select id from tenants where name = $1`, ['acme']);
    otherTenantId = await idOf(`select id from tenants where name = $1`, ['globex']);
    clientRef = await idOf(`select id from clients where tenant_id = $1 and client_id = $2`, [tenantId, 'acme-web']);
    otherClientRef = await idOf(`select id from clients where tenant_id = $1 and client_id = $2`, [tenantId, 'acme-service']);
  });
  afterAll(() => fx.close());

  /** A family of `acme-web` for the fixture's user, with a live browser session unless told otherwise. */
  const family = async (overrides: Partial<NewFamily> = {}) => {
    const { session } = await fx.api.ctx.sessions.create(tenantId, fx.userId, ['pwd']);
    return service().createFamily({
      tenantId,
      clientRef,
      userId: fx.userId,
      sessionId: session.id,
      scopes: ['openid', 'email'],
      authTime: now(),
      claims: { userinfo: { email: { essential: true } } },
      amr: ['pwd'],
      acr: null,
      delivery: 'body',
      idleTtlSeconds: 3600,
      absoluteTtlSeconds: 86_400,
      ...overrides,
    });
  };
  /** What the service's fast path hands its statement for `token`, as `acme-web` presenting it in a body. */
  const liveRotation = (token: string, overrides: Partial<LiveRotation> = {}, at = now()): LiveRotation => ({
    hash: tokenHash(token),
    successorHash: tokenHash(`${token}-next`),
    now: at,
    idleExpiresAt: new Date(at.getTime() + 3_600_000),
    tenantId,
    clientRef,
    delivery: 'body',
    narrowScopes: undefined,
    ...overrides,
  });
  /** The statement alone, as the service's fast path runs it for a lone refresh. */
  const rotateInOneStatement = (token: string, at = now()) => rotateLiveToken(fx.api.ctx.database.db, liveRotation(token, {}, at));
  /** The batch statement, as the fast path runs it for refreshes that arrive together. */
  const rotateInBatch = (rotations: readonly LiveRotation[]) => rotateLiveTokens(fx.api.ctx.database.db, rotations);
  const request = (token: string, overrides: Record<string, unknown> = {}) => ({ token, tenantId, clientRef, idleTtlSeconds: 3600, delivery: 'body' as const, ...overrides });

  it('a valid first use rotates in one statement: the family and the claim columns decode exactly as drizzle selects them', async () => {
    const { token, family: created } = await family({ scopes: ['openid', 'email', 'offline_access'], acr: 'urn:lanyard:acr:mfa' });
    await fx.api.database.query(`update users set address = $2, name = $3 where id = $1`, [fx.userId, { locality: 'Zürich', country: 'CH' }, 'Ålice \u{1F511}']);
    const at = now();
    const rotated = await rotateInOneStatement(token, at);
    const db = fx.api.ctx.database.db;
    const [storedFamily] = await db.select().from(refreshTokenFamilies).where(eq(refreshTokenFamilies.id, created.id));
    const [storedUser] = await db.select().from(users).where(eq(users.id, fx.userId));
    const claimColumns = Object.fromEntries(CLAIMS_SUBJECT_COLUMNS.map((key) => [key, storedUser![key]]));
    expect(rotated).toEqual({ family: storedFamily, user: claimColumns });
    // The token path never holds what only sign-in needs.
    expect(storedUser!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(Object.keys(rotated!.user)).not.toContain('passwordHash');
    expect(rotated!.family.claims).toEqual({ userinfo: { email: { essential: true } } });
    expect(rotated!.user.address).toEqual({ locality: 'Zürich', country: 'CH' });
    expect(rotated!.family.absoluteExpiresAt).toBeInstanceOf(Date);
    expect((await tokenRow(token))!.used_at).toEqual(at);
    expect(await tokenCount(created.id)).toBe(2);
  });

  it('the batch statement answers each rotation in its place, decoded as drizzle selects it', async () => {
    const first = await family({ scopes: ['openid', 'email', 'offline_access'] });
    const second = await family({ acr: 'urn:lanyard:acr:mfa' });
    const at = now();
    const rotated = await rotateInBatch([liveRotation(second.token, {}, at), liveRotation('no-such-token', {}, at), liveRotation(first.token, {}, at)]);
    const db = fx.api.ctx.database.db;
    const stored = async (id: string) => (await db.select().from(refreshTokenFamilies).where(eq(refreshTokenFamilies.id, id)))[0];
    const [storedUser] = await db.select().from(users).where(eq(users.id, fx.userId));
    const claimColumns = Object.fromEntries(CLAIMS_SUBJECT_COLUMNS.map((key) => [key, storedUser![key]]));
    expect(rotated).toEqual([{ family: await stored(second.family.id), user: claimColumns }, undefined, { family: await stored(first.family.id), user: claimColumns }]);
    for (const { token, family: f } of [first, second]) {
      expect((await tokenRow(token))!.used_at).toEqual(at);
      expect((await tokenRow(`${token}-next`))).toEqual({ used_at: null });
      expect(await tokenCount(f.id)).toBe(2);
    }
    // A second batch finds both used: nothing rotates twice.
    expect(await rotateInBatch([liveRotation(first.token), liveRotation(second.token)])).toEqual([undefined, undefined]);
  });

  it('the batch statement narrows scopes per rotation: a subset rotates, a wider set beside it does not', async () => {
    const narrow = await family({ scopes: ['openid', 'email', 'offline_access'] });
    const wider = await family({ scopes: ['openid', 'email', 'offline_access'] });
    const rotated = await rotateInBatch([liveRotation(narrow.token, { narrowScopes: ['email', 'openid'] }), liveRotation(wider.token, { narrowScopes: ['openid', 'profile'] })]);
    expect(rotated.map((r) => r?.family.id)).toEqual([narrow.family.id, undefined]);
    expect((await tokenRow(wider.token))!.used_at).toBeNull();
  });

  it('refreshes that arrive together each rotate once; the same token twice among them gets the same successor', async () => {
    const created = await Promise.all(Array.from({ length: 12 }, () => family()));
    const requests = created.map(({ token }) => service().rotate(request(token)));
    requests.push(service().rotate(request(created[0]!.token)));
    const results = await Promise.all(requests);
    expect(new Set(results.slice(0, 12).map((r) => r.token)).size).toBe(12);
    for (const [index, { token, family: f }] of created.entries()) {
      expect(results[index]!.family.id).toBe(f.id);
      expect((await tokenRow(token))!.used_at).not.toBeNull();
      expect(await tokenCount(f.id)).toBe(2);
    }
    const twice = [results[0]!, results[12]!];
    expect(twice.map((r) => r.token)).toEqual([twice[0]!.token, twice[0]!.token]);
    expect(twice.map((r) => r.replayedWithinGrace).sort()).toEqual([false, true]);
  });

  it('the successor never outlives the family: its idle expiry is capped at the absolute expiry', async () => {
    const { token, family: created } = await family({ absoluteTtlSeconds: 600 });
    const { token: successor } = await service().rotate(request(token, { idleTtlSeconds: 86_400 }));
    const expires = (await fx.api.database.query<{ expires_at: Date }>(`select expires_at from refresh_tokens where token_hash = $1`, [tokenHash(successor)])).rows[0]!.expires_at;
    expect(expires).toEqual(created.absoluteExpiresAt);
  });

  /** Each case: how to break one rule, and the reason the locked path gives. */
  const refusals: Array<{ rule: string; reason: string; arrange: () => Promise<{ token: string; familyId: string; overrides?: Record<string, unknown> }> }> = [
    {
      rule: 'another tenant presents it',
      reason: 'unknown',
      arrange: async () => {
        const { token, family: f } = await family();
        return { token, familyId: f.id, overrides: { tenantId: otherTenantId } };
      },
    },
    {
      rule: 'another client presents it',
      reason: 'wrong_client',
      arrange: async () => {
        const { token, family: f } = await family();
        return { token, familyId: f.id, overrides: { clientRef: otherClientRef } };
      },
    },
    {
      rule: 'its family was revoked',
      reason: 'revoked',
      arrange: async () => {
        const { token, family: f } = await family();
        await service().revokeFamily(f.id, 'test');
        return { token, familyId: f.id };
      },
    },
    {
      rule: 'its idle expiry is now',
      reason: 'expired',
      arrange: async () => {
        const { token, family: f } = await family({ idleTtlSeconds: 60 });
        fx.api.time.advance(60_000);
        return { token, familyId: f.id };
      },
    },
    {
      rule: 'its family passed the absolute expiry',
      reason: 'expired',
      arrange: async () => {
        const { token, family: f } = await family();
        await fx.api.database.query(`update refresh_token_families set absolute_expires_at = $2 where id = $1`, [f.id, now()]);
        return { token, familyId: f.id };
      },
    },
    {
      rule: 'the browser session ended (no offline_access)',
      reason: 'session_ended',
      arrange: async () => {
        const created = await family();
        await fx.api.database.query(`update sessions set revoked_at = now() where id = $1`, [created.family.sessionId]);
        return { token: created.token, familyId: created.family.id };
      },
    },
    {
      rule: 'the browser session expired (no offline_access)',
      reason: 'session_ended',
      arrange: async () => {
        const created = await family();
        await fx.api.database.query(`update sessions set expires_at = $2 where id = $1`, [created.family.sessionId, now()]);
        return { token: created.token, familyId: created.family.id };
      },
    },
    {
      rule: 'there is no session and no offline_access',
      reason: 'session_ended',
      arrange: async () => {
        const { token, family: f } = await family({ sessionId: null });
        return { token, familyId: f.id };
      },
    },
    {
      rule: 'a body family’s token comes from a cookie',
      reason: 'wrong_delivery',
      arrange: async () => {
        const { token, family: f } = await family();
        return { token, familyId: f.id, overrides: { delivery: 'cookie' } };
      },
    },
    {
      rule: 'a cookie family’s token comes in a body',
      reason: 'wrong_delivery',
      arrange: async () => {
        const { token, family: f } = await family({ delivery: 'cookie' });
        return { token, familyId: f.id };
      },
    },
  ];

  for (const { rule, reason, arrange } of refusals) {
    it(`refused when ${rule}: ${reason}, nothing written`, async () => {
      const { token, familyId, overrides } = await arrange();
      const error = await service().rotate(request(token, overrides)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RefreshRejected);
      expect((error as RefreshRejected).reason).toBe(reason);
      expect((await tokenRow(token))!.used_at).toBeNull();
      expect(await tokenCount(familyId)).toBe(1);
    });

    it(`refused in a batch too when ${rule}, while a valid rotation beside it goes through`, async () => {
      const { token, familyId, overrides } = await arrange();
      const valid = await family();
      const rotated = await rotateInBatch([liveRotation(token, overrides as Partial<LiveRotation>), liveRotation(valid.token)]);
      expect(rotated.map((r) => r?.family.id)).toEqual([undefined, valid.family.id]);
      expect((await tokenRow(token))!.used_at).toBeNull();
      expect(await tokenCount(familyId)).toBe(1);
    });
  }

  it('refused for a disabled user: user_disabled, and the family is revoked', async () => {
    const { token, family: f } = await family();
    await fx.api.database.query(`update users set disabled = true where id = $1`, [fx.userId]);
    try {
      const error = await service().rotate(request(token)).catch((e: unknown) => e);
      expect((error as RefreshRejected).reason).toBe('user_disabled');
      expect((await tokenRow(token))!.used_at).toBeNull();
      expect((await fx.api.database.query(`select revoked_reason from refresh_token_families where id = $1`, [f.id])).rows[0]!.revoked_reason).toBe('user_disabled');
    } finally {
      await fx.api.database.query(`update users set disabled = false where id = $1`, [fx.userId]);
    }
  });

  it('a wider scope: invalid_scope, token unused; a narrower one and the whole grant rotate', async () => {
    const { token, family: f } = await family({ scopes: ['openid', 'email', 'offline_access'], sessionId: null });
    const error = await service().rotate(request(token, { narrowScopes: ['openid', 'profile'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidScope);
    expect((error as Error).message).toContain('"profile"');
    expect((await tokenRow(token))!.used_at).toBeNull();
    expect(await tokenCount(f.id)).toBe(1);
    const narrowed = await service().rotate(request(token, { narrowScopes: ['openid'] }));
    expect(narrowed.family.id).toBe(f.id);
    const whole = await service().rotate(request(narrowed.token, { narrowScopes: ['offline_access', 'email', 'openid'] }));
    expect(whole.replayedWithinGrace).toBe(false);
    expect(await tokenCount(f.id)).toBe(3);
  });

  it('offline_access outlives the session, in the one statement and in the locked path', async () => {
    const ended = async () => {
      const created = await family({ scopes: ['openid', 'offline_access'] });
      await fx.api.database.query(`update sessions set revoked_at = now() where id = $1`, [created.family.sessionId]);
      return created;
    };
    const first = await ended();
    expect((await rotateInOneStatement(first.token))?.family.id).toBe(first.family.id);
    // A replay inside the grace window is answered by the locked path, which applies the same rule.
    const second = await ended();
    const rotated = await service().rotate(request(second.token));
    expect(await service().rotate(request(second.token))).toMatchObject({ token: rotated.token, replayedWithinGrace: true });
  });

  it('a used token inside the grace window: the same successor; outside it: reuse, family revoked', async () => {
    const { token, family: f } = await family();
    const first = await service().rotate(request(token));
    const again = await service().rotate(request(token));
    expect(again).toMatchObject({ token: first.token, replayedWithinGrace: true });
    fx.api.time.advance((fx.api.config.REFRESH_TOKEN_REUSE_GRACE_SECONDS + 1) * 1000);
    const reuse = await service().rotate(request(token)).catch((e: unknown) => e);
    expect((reuse as RefreshRejected).reason).toBe('reuse');
    expect((await fx.api.database.query(`select revoked_reason from refresh_token_families where id = $1`, [f.id])).rows[0]!.revoked_reason).toBe('reuse_detected');
  });

  it('an unknown token, or 64 KiB of NUL and odd Unicode: unknown, nothing written', async () => {
    for (const token of ['no-such-token', '\u0000'.repeat(65_536), '\u{1F511}\uFFFF\u202E']) {
      const error = await service().rotate(request(token)).catch((e: unknown) => e);
      expect((error as RefreshRejected).reason).toBe('unknown');
    }
  });
});
