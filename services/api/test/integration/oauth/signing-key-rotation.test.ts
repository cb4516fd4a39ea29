import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { rotateSigningKeys } from '@lanyard/signing-keys';
import { rotationPolicy } from '../../../src/domain/keys/signing-key-service.js';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { obtainCode, redeem } from '../../support/oauth-helpers.js';

const DAY = 86_400_000;

/**
 * Key rotation as relying parties see it (docs/reference/tokens.md): the successor appears
 * in the JWKS before it signs, and a retired key stays published until its tokens have expired.
 * The worker applies the same plan on a schedule; here it is applied with a moved clock.
 */
describe('signing key rotation', () => {
  let fx: OAuthFixture;
  let tenantId: string;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    tenantId = (await fx.api.ctx.tenants.find('acme'))!.id;
  });
  afterAll(() => fx.close());

  /** The ES256 keys in the JWKS (the algorithm these tokens use; RS256 keys rotate on their own). */
  const jwksKids = async () =>
    ((await (await fetch(`${fx.issuer}/jwks`)).json()) as { keys: Array<{ kid: string; alg: string }> }).keys.filter((k) => k.alg === 'ES256').map((k) => k.kid);
  const rotate = async (now: Date) => {
    await rotateSigningKeys(fx.api.ctx.database.db, fx.api.ctx.cipher, tenantId, rotationPolicy(fx.api.config), now);
    await fx.api.ctx.bus.publish({ kind: 'signing-keys', tenantId });
  };
  const issueAccessToken = async () => (await redeem(fx, await obtainCode(fx))).body.access_token as string;

  it('publishes the successor before it signs, keeps the retired key until its tokens expire, then drops it', async () => {
    const [original] = await jwksKids();
    const oldToken = await issueAccessToken();
    expect(decodeProtectedHeader(oldToken).kid).toBe(original);

    // 29.99 days later the successor is due within the publish-ahead window: published, not signing.
    await rotate(new Date(Date.now() + 30 * DAY - 1_800_000));
    const kids = await jwksKids();
    expect(kids).toHaveLength(2);
    const successor = kids.find((k) => k !== original)!;
    expect(decodeProtectedHeader(await issueAccessToken()).kid).toBe(original);

    // The successor's activation arrives: it signs, and the original is retired but still published.
    // (now(), not earlier: the original may itself be less than a second old.)
    await fx.api.database.query(`update signing_keys set activates_at = now() where kid = $1`, [successor]);
    await rotate(new Date());
    const newToken = await issueAccessToken();
    expect(decodeProtectedHeader(newToken).kid).toBe(successor);
    expect(await jwksKids()).toEqual(expect.arrayContaining([original, successor]));
    const jwks = createRemoteJWKSet(new URL(`${fx.issuer}/jwks`));
    await expect(jwtVerify(oldToken, jwks, { issuer: fx.issuer })).resolves.toBeDefined();
    expect((await fetch(`${fx.issuer}/oauth2/userinfo`, { headers: { authorization: `Bearer ${oldToken}` } })).status).toBe(200);

    const retired = await fx.api.database.query<{ retired_at: Date; expires_at: Date }>('select retired_at, expires_at from signing_keys where kid = $1', [original]);
    expect(retired.rows[0]!.expires_at.getTime() - retired.rows[0]!.retired_at.getTime()).toBeGreaterThanOrEqual(86_400_000);

    // After the longest token lifetime the retired key leaves the JWKS.
    await rotate(new Date(retired.rows[0]!.expires_at.getTime() + 1_000));
    expect(await jwksKids()).toEqual([successor]);
  });

  it('stores private keys only encrypted', async () => {
    const rows = await fx.api.database.query<{ private_key_ciphertext: Buffer; public_jwk: Record<string, unknown> }>('select private_key_ciphertext, public_jwk from signing_keys');
    for (const row of rows.rows) {
      expect(row.public_jwk).not.toHaveProperty('d');
      expect(row.private_key_ciphertext.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
      expect(row.private_key_ciphertext[0]).toBe(1); // envelope version byte, AES-256-GCM
    }
  });
});
