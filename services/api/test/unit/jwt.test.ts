import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwtVerify, importJWK, SignJWT, base64url } from 'jose';
import { signJwt, verifyJwt } from '../../src/domain/tokens/jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const issuer = 'https://id.example/tenants/acme';
const now = Math.floor(Date.now() / 1000);
const claims = { iss: issuer, sub: 'u1', exp: now + 60, iat: now };
const options = { typ: 'at+jwt', issuer, resolveKey: (kid: string) => (kid === 'k1' ? { alg: 'ES256' as const, publicKey } : undefined), now: now * 1000 };

describe('signJwt', () => {
  it('produces an ES256 JWS that jose verifies', async () => {
    const token = signJwt({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }, claims, privateKey);
    const { payload, protectedHeader } = await jwtVerify(token, await importJWK(publicKey.export({ format: 'jwk' }), 'ES256'), { issuer, typ: 'at+jwt' });
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' });
    expect(payload.sub).toBe('u1');
  });
});

describe('verifyJwt', () => {
  const sign = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
    signJwt(header as never, payload, privateKey);

  it('accepts a valid token', () => {
    expect(verifyJwt(sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }, claims), options).payload.sub).toBe('u1');
  });

  it('accepts typ in its application/ form (RFC 7515 §4.1.9)', () => {
    expect(() => verifyJwt(sign({ alg: 'ES256', typ: 'application/at+jwt', kid: 'k1' }, claims), options)).not.toThrow();
  });

  it.each([
    ['alg none', () => `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'k1' }))}.${base64url.encode(JSON.stringify(claims))}.`, 'unsupported alg none'],
    ['wrong typ (an ID token used as access token)', () => sign({ alg: 'ES256', typ: 'JWT', kid: 'k1' }, claims), 'unexpected typ'],
    ['unknown kid', () => sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k2' }, claims), 'unknown kid'],
    ['wrong issuer', () => sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }, { ...claims, iss: 'https://evil' }), 'issuer mismatch'],
    ['expired', () => sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }, { ...claims, exp: now - 1 }), 'expired'],
    ['not yet valid', () => sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }, { ...claims, nbf: now + 600 }), 'not yet valid'],
    ['crit header', () => sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k1', crit: ['x'] }, claims), 'unsupported crit header'],
    ['tampered payload', () => {
      const [h, , s] = sign({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }, claims).split('.');
      return `${h}.${base64url.encode(JSON.stringify({ ...claims, sub: 'admin' }))}.${s}`;
    }, 'signature mismatch'],
    ['garbage', () => 'not-a-jwt', 'malformed JWT'],
  ])('rejects %s', (_name, make, detail) => {
    expect(() => verifyJwt(make(), options)).toThrow(expect.objectContaining({ code: 'invalid_token', detail }));
  });

  it('rejects HS256 signed with the public key (key confusion)', async () => {
    const secret = publicKey.export({ format: 'pem', type: 'spki' });
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }).sign(new TextEncoder().encode(String(secret)));
    expect(() => verifyJwt(forged, options)).toThrow(expect.objectContaining({ detail: 'unsupported alg HS256' }));
  });
});

describe('RS256 (OIDC Core §15.1, RFC 9068 §2.1)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = (kid: string) =>
    kid === 'r1' ? { alg: 'RS256' as const, publicKey: rsa.publicKey } : kid === 'k1' ? { alg: 'ES256' as const, publicKey } : undefined;
  const rsOptions = { ...options, resolveKey: keys };

  it('signs RS256 that jose verifies, and verifies it back', async () => {
    const token = signJwt({ alg: 'RS256', typ: 'at+jwt', kid: 'r1' }, claims, rsa.privateKey);
    const { protectedHeader } = await jwtVerify(token, await importJWK(rsa.publicKey.export({ format: 'jwk' }), 'RS256'), { issuer, typ: 'at+jwt' });
    expect(protectedHeader.alg).toBe('RS256');
    expect(verifyJwt(token, rsOptions).payload.sub).toBe('u1');
  });

  it('refuses a header alg that is not the key’s (RFC 8725 §3.1)', () => {
    const rs = signJwt({ alg: 'RS256', typ: 'at+jwt', kid: 'r1' }, claims, rsa.privateKey);
    const [, payload, signature] = rs.split('.');
    const relabelled = `${base64url.encode(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'r1' }))}.${payload}.${signature}`;
    expect(() => verifyJwt(relabelled, rsOptions)).toThrow(expect.objectContaining({ detail: "alg ES256 does not match the key's RS256" }));
    const es = signJwt({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }, claims, privateKey);
    const [, p2, s2] = es.split('.');
    const asRs = `${base64url.encode(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' }))}.${p2}.${s2}`;
    expect(() => verifyJwt(asRs, rsOptions)).toThrow(expect.objectContaining({ detail: "alg RS256 does not match the key's ES256" }));
  });
});
