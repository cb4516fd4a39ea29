import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PendingSignIn } from '../oauth/interaction/pending-sign-in.js';
import type { WebauthnChallenges } from '../oauth/interaction/webauthn-challenges.js';
import { startCeremony } from './passkey-ceremony.js';
import type { Tenant } from '@lanyard/db';
import type { SecondFactors } from '../domain/mfa/second-factors.js';
import { verifySecondFactor, type VerifySecondFactorDeps } from '../domain/mfa/verify-second-factor.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { rateLimitHeaders } from '../http/rate-limit-headers.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderSecondFactorPage } from '../pages/second-factor-pages.js';
import { completePendingSignIn, loadPendingSignIn, type PendingCompletionDeps } from './pending-sign-in-completion.js';
import { PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage } from './page-kit.js';
import { lockoutMessage } from './sign-in-messages.js';

export interface SecondFactorRoutesDeps extends PendingCompletionDeps, VerifySecondFactorDeps {
  readonly tenants: TenantLookup;
  readonly secondFactors: SecondFactors;
  readonly webauthnChallenges: WebauthnChallenges;
}

const ERRORS = {
  otp_invalid: 'That code is not right. Check that your phone shows the time correctly, and enter the code the app shows now.',
  otp_replayed: 'That code was used already. Wait for the app to show a new one.',
  recovery_invalid: 'That recovery code is not right, or was used already.',
  webauthn_invalid: 'That passkey could not be used to verify you. Try again, or use another way.',
} as const;

/**
 * `{issuer}/login/second-factor`: the second step of a sign-in whose password was right (of an
 * app's authorization request or of the account page). Rules:
 * - only a browser with a pending sign-in reaches it (pending-sign-in.ts); each POST carries its
 *   CSRF token and answers 303 (back with a fixed error code, or onwards), or the page with 429
 *   and `Retry-After` when attempts are refused;
 * - the check, its counters, audit and notices are {@link verifySecondFactor}'s;
 * - success completes the sign-in: a new session whose `amr` holds `pwd`, `otp` and `mfa`.
 */
export function registerSecondFactorRoutes(app: FastifyInstance, deps: SecondFactorRoutesDeps): void {
  const action = (tenant: Tenant) => `${pageBase(tenant)}/login/second-factor`;
  /** The page, with a fresh passkey challenge when the user has passkeys (it replaces the last one). */
  const render = async (reply: FastifyReply, tenant: Tenant, pending: PendingSignIn, userId: string, status: number, error?: string) => {
    const factors = deps.secondFactors;
    const passkey = (await factors.passkeys.count(userId)) > 0 ? await startCeremony(deps.webauthnChallenges, await factors.passkeys.authenticationOptions(userId), `second-factor:${pending.csrfToken}`) : undefined;
    const page = renderSecondFactorPage({
      ...pageTenant(tenant),
      action: action(tenant),
      csrfToken: pending.csrfToken,
      error,
      recoveryCodes: ((await factors.recoveryCodes.summary(userId))?.remaining ?? 0) > 0,
      totp: await factors.totp.isEnrolled(userId),
      passkey,
    });
    return sendPage(reply, page, status, passkey?.nonce, pending.formAction);
  };

  app.get('/tenants/:tenant/login/second-factor', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { pending, user } = await loadPendingSignIn(deps, request, tenant);
    const code = readQuery(request).get('error');
    const error = code !== undefined && Object.hasOwn(ERRORS, code) ? ERRORS[code as keyof typeof ERRORS] : undefined;
    return render(reply, tenant, pending, user.id, 200, error);
  });

  app.post('/tenants/:tenant/login/second-factor', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    const { pending, user } = await loadPendingSignIn(deps, request, tenant, form.get('csrf_token'));
    const chosen = form.get('method');
    const method = chosen === 'recovery' || chosen === 'passkey' ? chosen : 'otp';
    const challenge = method === 'passkey' ? await deps.webauthnChallenges.take(`second-factor:${pending.csrfToken}`) : undefined;
    const answer = method === 'passkey' ? (form.get('credential') ?? '') : (form.get('code') ?? '').slice(0, 64);
    const outcome = await verifySecondFactor(deps, tenant, user, method, answer, pending.amr, request, challenge);
    if (outcome.kind === 'refused') {
      const headers = rateLimitHeaders(outcome.refused);
      reply.headers(headers);
      return render(reply, tenant, pending, user.id, 429, lockoutMessage(outcome.scope, headers['retry-after'] ?? '60'));
    }
    if (outcome.kind === 'failed') {
      request.log.info({ ...request.logFields, event: 'mfa', userId: user.id, reason: outcome.reason }, 'second factor refused');
      return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/login/second-factor?error=${outcome.reason}`);
    }
    return completePendingSignIn(deps, request, reply, tenant, pending, user, outcome.amr);
  });
}
