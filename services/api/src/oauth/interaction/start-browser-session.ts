import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiConfig } from '@lanyard/config';
import type { Session, Tenant, User } from '@lanyard/db';
import { randomToken } from '@lanyard/security';
import { accountLink } from '../../domain/accounts/account-links.js';
import type { AccountMailer } from '../../domain/accounts/account-mailer.js';
import type { KnownBrowsers } from '../../domain/accounts/known-browsers.js';
import { ipNetwork } from '../../domain/rate-limit/ip-network.js';
import type { SessionService } from '../../domain/sessions/session-service.js';
import { DEVICE_COOKIE, deviceCookieOptions, SESSION_COOKIE, sessionCookieOptions } from '../cookies.js';

export interface StartSessionDeps {
  readonly sessions: Pick<SessionService, 'find' | 'create' | 'revoke'>;
  readonly knownBrowsers: Pick<KnownBrowsers, 'recordSignIn'>;
  readonly mailer: Pick<AccountMailer, 'notify' | 'now'>;
  readonly issuerOf: (tenant: string) => string;
  readonly config: Pick<ApiConfig, 'SESSION_TTL_SECONDS'>;
}

/**
 * After a successful sign-in: a new SSO session for this browser. Rules:
 * - a session the browser already had is revoked first (no session fixation);
 * - the session remembers the User-Agent and IP network, so the account page can list it;
 * - the browser's device cookie is renewed (or created), and a sign-in from a browser the user
 *   never used before, while others are known, mails the owner a new-device notice.
 */
export async function startBrowserSession(deps: StartSessionDeps, request: FastifyRequest, reply: FastifyReply, tenant: Tenant, user: User, amr: readonly string[], authTime?: Date): Promise<Session> {
  const previous = await deps.sessions.find(tenant.id, request.cookies[SESSION_COOKIE]);
  if (previous !== undefined) await deps.sessions.revoke(previous.session.id);
  const userAgent = request.headers['user-agent'];
  const network = ipNetwork(request.ip);
  const { token, session } = await deps.sessions.create(tenant.id, user.id, amr, { userAgent, ipNetwork: network, authTime });
  reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(tenant.name, deps.config.SESSION_TTL_SECONDS));

  const existing = request.cookies[DEVICE_COOKIE];
  const device = existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomToken(32);
  reply.setCookie(DEVICE_COOKIE, device, deviceCookieOptions(tenant.name));
  const { newBrowser } = await deps.knownBrowsers.recordSignIn(user.id, device);
  if (newBrowser) {
    await deps.mailer.notify(tenant, user.email, 'new_device_sign_in', `new_device_sign_in.${session.id}`, {
      when: deps.mailer.now(),
      browser: describeBrowser(userAgent),
      network,
      resetLink: accountLink(deps.issuerOf(tenant.name), 'forgotPassword'),
    });
  }
  return session;
}

/** `Firefox on Linux` from a User-Agent: coarse on purpose; the full string is attacker-chosen. */
export function describeBrowser(userAgent: string | undefined): string {
  if (userAgent === undefined) return 'An unknown browser';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /(Chrome|Chromium)\//.test(userAgent)
      ? 'Chrome'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'A browser';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /(iPhone|iPad)/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined;
  return os === undefined ? browser : `${browser} on ${os}`;
}
