import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { basicAuth, obtainCode, redeem, tokenRequest } from '../../support/oauth-helpers.js';

/** Races: codes are single-use under concurrency; parallel refreshes never fork a family. */
describe('concurrency', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture({ DATABASE_POOL_MAX: '20' });
  });
  afterAll(() => fx.close());

  it('50 parallel redemptions of one code: exactly one succeeds', async () => {
    const issued = await obtainCode(fx);
    const results = await Promise.all(Array.from({ length: 50 }, () => redeem(fx, issued)));
    const succeeded = results.filter((r) => r.status === 200);
    expect(succeeded).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body.error === 'invalid_grant')).toHaveLength(49);
    const families = await fx.api.database.query(`select 1 from refresh_token_families f join authorization_codes c on c.issued_family_id = f.id`);
    expect(families.rowCount).toBe(1);
  });

  it('20 parallel refreshes of one token: all answered with the same successor; one family, not forked', async () => {
    const original = (await redeem(fx, await obtainCode(fx))).body.refresh_token as string;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: original }, { headers: basicAuth('acme-web', fx.webSecret) })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const successors = new Set(results.map((r) => r.body.refresh_token));
    expect(successors.size).toBe(1);
    const rows = await fx.api.database.query<{ tokens: string; revoked: Date | null }>(
      `select count(t.*) as tokens, f.revoked_at as revoked from refresh_token_families f join refresh_tokens t on t.family_id = f.id
       where f.id = (select family_id from refresh_tokens where token_hash = sha256($1::text::bytea)) group by f.revoked_at`,
      [original],
    );
    expect(rows.rows).toEqual([{ tokens: '2', revoked: null }]);
    const next = await tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: [...successors][0] as string }, { headers: basicAuth('acme-web', fx.webSecret) });
    expect(next.status).toBe(200);
  });
});

/**
 * The winning redemption signs its tokens while it holds the code's row lock. With the pool at its
 * smallest, the other redemptions take every connection and wait on that lock: anything the winner
 * needs from the pool from inside its transaction (the tenant's first key-ring load, in the past)
 * would wait for the checkout timeout, and every redemption would answer 503.
 */
describe('concurrency with the smallest pool', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture({ DATABASE_POOL_MAX: '2' });
  });
  afterAll(() => fx.close());

  it('8 parallel redemptions of the first code of a process: one succeeds, the rest are invalid_grant, none 503', async () => {
    const issued = await obtainCode(fx);
    const results = await Promise.all(Array.from({ length: 8 }, () => redeem(fx, issued)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(7).fill(400)]);
    expect(results.filter((r) => r.status === 400).every((r) => r.body.error === 'invalid_grant')).toBe(true);
    const token = results.find((r) => r.status === 200)!.body;
    expect(typeof token.access_token).toBe('string');
    expect(typeof token.id_token).toBe('string');
  });
});
