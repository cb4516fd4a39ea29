import { and, eq, sql } from 'drizzle-orm';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Clock } from '@lanyard/clock';
import { webauthnCredentials, type Executor, type Tenant, type User, type WebauthnCredential } from '@lanyard/db';
import { AMR_MFA } from '../tokens/authentication-context.js';
import { webauthn } from './webauthn-library.js';
import { isUuid } from '../uuid.js';

/** How long a ceremony may take (WebAuthn §5.4.3 recommends 5 minutes with user verification). */
export const CEREMONY_TIMEOUT_MS = 300_000;
/** A user with this many passkeys must remove one first; it bounds the allow list of a sign-in. */
export const MAX_PASSKEYS_PER_USER = 20;
/** The largest credential JSON we parse: real ones are 1–3 KiB. */
export const MAX_CREDENTIAL_JSON_BYTES = 16_384;

/** The relying party: `PUBLIC_URL`'s host is the RP ID (WebAuthn §5.1.3), its origin the only accepted origin. */
export interface RelyingParty {
  readonly id: string;
  readonly origin: string;
}

export const relyingPartyOf = (publicUrl: string): RelyingParty => {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin };
};

/** RFC 8176: `hwk` for a device-bound key, `swk` for a synced (software-held) one. */
export const passkeyAmr = (credential: Pick<WebauthnCredential, 'deviceType'>) => (credential.deviceType === 'singleDevice' ? 'hwk' : 'swk');

export type PasskeyCheck =
  | { readonly ok: true; readonly user: { readonly id: string }; readonly credential: WebauthnCredential; readonly userVerified: boolean }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown_credential' | 'not_verified' };

/**
 * Passkeys (WebAuthn Level 3 through @simplewebauthn/server). Rules:
 * - registration asks for a discoverable credential with user verification preferred, excludes
 *   the user's existing passkeys, and stores only the public key, counter, transports and the
 *   backup flags;
 * - every ceremony is checked against the one RP ID and origin of `PUBLIC_URL` and a challenge
 *   the server issued once (the caller keeps it; see webauthn-challenges.ts);
 * - a sign-in finds the credential within the tenant, checks the signature, and records the new
 *   counter and backup state; a counter that goes backwards is refused (WebAuthn §6.1.1, a
 *   sign of a cloned authenticator), unless both are 0 (authenticators without a counter).
 */
export class PasskeyService {
  constructor(
    private readonly db: Executor,
    private readonly rp: RelyingParty,
    private readonly clock: Clock,
  ) {}

  list(userId: string): Promise<WebauthnCredential[]> {
    return this.db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)).orderBy(webauthnCredentials.createdAt);
  }

  async count(userId: string): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId));
    return row?.n ?? 0;
  }

  async registrationOptions(tenant: Tenant, user: User): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.list(user.id);
    return (await webauthn()).generateRegistrationOptions({
      rpName: tenant.displayName,
      rpID: this.rp.id,
      userName: user.email,
      userDisplayName: user.name ?? user.email,
      // The user's UUID, not the address: WebAuthn §14.6.1 asks that user.id carry no personal data.
      userID: Uint8Array.from(Buffer.from(user.id.replace(/-/g, ''), 'hex')),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
  }

  async register(user: User, responseJson: string, expectedChallenge: string, name: string): Promise<{ ok: true; credential: WebauthnCredential } | { ok: false; reason: 'malformed' | 'not_verified' | 'duplicate' | 'too_many' }> {
    const response = parseJson<RegistrationResponseJSON>(responseJson);
    if (response === undefined) return { ok: false, reason: 'malformed' };
    if ((await this.count(user.id)) >= MAX_PASSKEYS_PER_USER) return { ok: false, reason: 'too_many' };
    let verified;
    try {
      verified = await (await webauthn()).verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: this.rp.origin, expectedRPID: this.rp.id, requireUserVerification: false });
    } catch {
      return { ok: false, reason: 'not_verified' };
    }
    if (!verified.verified) return { ok: false, reason: 'not_verified' };
    const info = verified.registrationInfo;
    const rows = await this.db
      .insert(webauthnCredentials)
      .values({
        tenantId: user.tenantId,
        userId: user.id,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey),
        counter: info.credential.counter,
        transports: (info.credential.transports ?? []).slice(0, 10),
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name,
        createdAt: this.clock(),
      })
      .onConflictDoNothing()
      .returning();
    return rows[0] === undefined ? { ok: false, reason: 'duplicate' } : { ok: true, credential: rows[0] };
  }

  /** Options of a sign-in: with `allowFor`, that user's passkeys (second factor); without, any discoverable one. */
  async authenticationOptions(allowFor?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allow = allowFor === undefined ? undefined : (await this.list(allowFor)).map((c) => ({ id: c.credentialId, transports: c.transports }));
    return (await webauthn()).generateAuthenticationOptions({ rpID: this.rp.id, timeout: CEREMONY_TIMEOUT_MS, userVerification: allowFor === undefined ? 'required' : 'preferred', ...(allow === undefined ? {} : { allowCredentials: allow }) });
  }

  /**
   * Checks an assertion. `expectedUser` (a second factor) must own the credential;
   * `requireUserVerification` (passwordless) needs the UV flag, so the passkey alone is two factors.
   */
  async authenticate(tenantId: string, responseJson: string, expectedChallenge: string, options: { expectedUser?: string; requireUserVerification: boolean }): Promise<PasskeyCheck> {
    const response = parseJson<AuthenticationResponseJSON>(responseJson);
    if (response === undefined || typeof response.id !== 'string' || response.id.length > 1_024) return { ok: false, reason: 'malformed' };
    const [credential] = await this.db
      .select()
      .from(webauthnCredentials)
      .where(and(eq(webauthnCredentials.tenantId, tenantId), eq(webauthnCredentials.credentialId, response.id)));
    if (credential === undefined || (options.expectedUser !== undefined && credential.userId !== options.expectedUser)) return { ok: false, reason: 'unknown_credential' };
    let verified;
    try {
      verified = await (await webauthn()).verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        credential: { id: credential.credentialId, publicKey: Uint8Array.from(credential.publicKey), counter: credential.counter, transports: credential.transports },
        requireUserVerification: options.requireUserVerification,
      });
    } catch {
      return { ok: false, reason: 'not_verified' };
    }
    if (!verified.verified) return { ok: false, reason: 'not_verified' };
    const info = verified.authenticationInfo;
    const [updated] = await this.db
      .update(webauthnCredentials)
      .set({ counter: info.newCounter, backedUp: info.credentialBackedUp, lastUsedAt: this.clock() })
      .where(and(eq(webauthnCredentials.id, credential.id), sql`(${webauthnCredentials.counter} < ${info.newCounter} or (${webauthnCredentials.counter} = 0 and ${info.newCounter} = 0))`))
      .returning();
    // The stored counter moved past this one meanwhile: a replay or a cloned authenticator.
    if (updated === undefined) return { ok: false, reason: 'not_verified' };
    return { ok: true, user: { id: updated.userId }, credential: updated, userVerified: info.userVerified };
  }

  async remove(userId: string, id: string, executor: Executor = this.db): Promise<WebauthnCredential | undefined> {
    if (!isUuid(id)) return undefined;
    const [removed] = await executor.delete(webauthnCredentials).where(and(eq(webauthnCredentials.userId, userId), eq(webauthnCredentials.id, id))).returning();
    return removed;
  }

  /** Renames one of the user's own passkeys; undefined when the user has no passkey by that id. */
  async rename(userId: string, id: string, name: string): Promise<WebauthnCredential | undefined> {
    if (!isUuid(id)) return undefined;
    const [renamed] = await this.db
      .update(webauthnCredentials)
      .set({ name })
      .where(and(eq(webauthnCredentials.userId, userId), eq(webauthnCredentials.id, id)))
      .returning();
    return renamed;
  }

  async removeAll(userId: string, executor: Executor = this.db): Promise<boolean> {
    return (await executor.delete(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)).returning({ id: webauthnCredentials.id })).length > 0;
  }
}

/** The amr of a passkey sign-in: the key's kind, plus `user` and `mfa` when the authenticator verified the user. */
export function passkeySignInAmr(credential: WebauthnCredential, userVerified: boolean, before: readonly string[] = []): string[] {
  const methods = [...before, passkeyAmr(credential)];
  if (userVerified && before.length === 0) methods.push('user');
  return [...new Set([...methods, ...(userVerified || before.length > 0 ? [AMR_MFA] : [])])];
}

function parseJson<T>(text: string): T | undefined {
  if (text.length === 0 || Buffer.byteLength(text) > MAX_CREDENTIAL_JSON_BYTES) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
