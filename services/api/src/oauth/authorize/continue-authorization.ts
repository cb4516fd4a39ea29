import type { FastifyReply } from 'fastify';
import type { Clock } from '@lanyard/clock';
import { AccessDenied, ConsentRequired, LoginRequired } from '@lanyard/errors';
import { achievedAcr, essentialAcrMet, requestsMfa } from '../../domain/tokens/authentication-context.js';
import type { SecondFactorGate, SecondFactorStep } from '../../domain/mfa/second-factors.js';
import type { RegisteredClient } from '../../domain/clients/client-service.js';
import type { ConsentService } from '../../domain/consents/consent-service.js';
import type { CodeIssuer } from '../../domain/grants/authorization-code-service.js';
import type { Interaction } from '../interaction/interaction-store.js';
import type { PendingSignIn } from '../interaction/pending-sign-in.js';
import { AuthorizationRedirectError } from './authorization-error.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { authorizationResponseUrl } from './authorization-response.js';
import { formActionSources } from '../../pages/page-headers.js';

const NO_SECOND_FACTOR: SecondFactorStep = { kind: 'none' };

/** Who is signed in for this request, and since when (OIDC `auth_time`). */
export interface Authentication {
  readonly userId: string;
  readonly sessionId: string;
  readonly authTime: Date;
  /** RFC 8176 methods of that sign-in (the session's `amr`). */
  readonly amr: readonly string[];
  /**
   * Set only by a sign-in that has just asked `SecondFactors.nextStep` for these methods and this
   * request (at least as strictly: not deferred) and was told none is due. Asking again in the same
   * request would re-read the user and their factors: two round trips on every password login.
   */
  readonly secondFactorCleared?: boolean;
}

export interface ContinueAuthorizationDeps {
  readonly consents: Pick<ConsentService, 'covers'>;
  readonly codes: CodeIssuer;
  readonly secondFactors: SecondFactorGate;
  readonly clock: Clock;
}

export type NextStep =
  | { kind: 'login' }
  /** Signed in with one factor; the second is due (`verify`), or a factor must be enrolled first. */
  | { kind: 'second_factor'; step: 'verify' | 'enrol'; userId: string; amr: readonly string[]; deferrable: boolean }
  | { kind: 'consent' }
  | { kind: 'redirect'; location: string };

/**
 * Decides what an authorization request needs next, given who is signed in:
 * - no authentication, or `prompt=login` or `max_age` not yet satisfied in this interaction (a
 *   sign-in in it satisfies both) → the login page (or `login_required` for `prompt=none`, OIDC
 *   Core §3.1.2.6);
 * - a second factor due (the user has one, the client or `acr_values` asks for one, or the
 *   tenant requires one; {@link SecondFactorGate}) and not yet used in this session → the
 *   second-factor step, even with a live password session (step-up), or `login_required`;
 * - a client that is not first-party without remembered consent for every scope, or
 *   `prompt=consent` → the consent page (or `consent_required` for `prompt=none`);
 * - otherwise an authorization code, redirected with `state` and `iss`.
 */
export async function continueAuthorization(
  deps: ContinueAuthorizationDeps,
  client: RegisteredClient,
  request: AuthorizationRequest,
  issuer: string,
  auth: Authentication | undefined,
  interaction: Interaction | undefined,
): Promise<NextStep> {
  const now = deps.clock();
  const authenticatedHere = interaction?.userId !== undefined;
  // A sign-in made in this interaction is the re-authentication max_age asked for (OIDC Core
  // §3.1.2.1), however long the steps after it take: measured against the clock instead, max_age=0
  // would send the user back to the login page forever.
  const tooOld = auth !== undefined && !authenticatedHere && request.maxAge !== null && now.getTime() - auth.authTime.getTime() > request.maxAge * 1000;
  const mustLogin = auth === undefined || tooOld || (request.prompt.includes('login') && !authenticatedHere);
  if (mustLogin) {
    if (request.prompt.includes('none')) throw new AuthorizationRedirectError(new LoginRequired(), request.redirectUri, issuer, request.state);
    return { kind: 'login' };
  }
  const factor =
    auth.secondFactorCleared === true
      ? NO_SECOND_FACTOR
      : await deps.secondFactors.stepFor(request.tenant, auth.userId, {
          amr: auth.amr,
          demanded: client.requireMfa || requestsMfa(request.acrValues, request.claims),
          deferred: interaction?.mfaDeferred === true,
        });
  if (factor.kind !== 'none') {
    if (request.prompt.includes('none')) throw new AuthorizationRedirectError(new LoginRequired('A second factor is required.'), request.redirectUri, issuer, request.state);
    return { kind: 'second_factor', step: factor.kind, userId: auth.userId, amr: auth.amr, deferrable: factor.kind === 'enrol' && factor.deferrableUntil !== undefined };
  }
  const consentGivenHere = interaction?.consented === true;
  const needsConsent =
    !consentGivenHere &&
    (request.prompt.includes('consent') || (!client.firstParty && !(await deps.consents.covers(auth.userId, client.id, request.scopes))));
  if (needsConsent) {
    if (request.prompt.includes('none')) throw new AuthorizationRedirectError(new ConsentRequired(), request.redirectUri, issuer, request.state);
    return { kind: 'consent' };
  }
  const acr = achievedAcr(auth.amr);
  if (!essentialAcrMet(request.claims, acr)) {
    // OIDC Core §5.5.1.1: an essential acr that cannot be achieved fails the authentication.
    throw new AuthorizationRedirectError(new AccessDenied('The requested authentication context class cannot be satisfied.'), request.redirectUri, issuer, request.state);
  }
  const code = await deps.codes.create({
    tenantId: request.tenantId,
    clientRef: client.id,
    userId: auth.userId,
    sessionId: auth.sessionId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scopes: request.scopes,
    nonce: request.nonce,
    authTime: auth.authTime,
    claims: request.claims,
    amr: auth.amr,
    acr,
  });
  return { kind: 'redirect', location: authorizationResponseUrl(request.redirectUri, issuer, request.state, { code }) };
}

/** Starts this browser's pending sign-in (pending-sign-in.ts) for the second-factor step. */
export type StartPendingSignIn = (pending: Omit<PendingSignIn, 'csrfToken' | 'tenantId'>) => Promise<unknown>;

/** Sends the browser where {@link continueAuthorization} decided, creating the interaction if needed. */
export async function followNextStep(
  reply: FastifyReply,
  next: NextStep,
  issuer: string,
  interaction: () => Promise<Interaction>,
  startPending: StartPendingSignIn,
): Promise<FastifyReply> {
  reply.header('cache-control', 'no-store');
  if (next.kind === 'redirect') return reply.redirect(next.location, 303);
  const { id, request } = await interaction();
  if (next.kind === 'second_factor') {
    await startPending({ userId: next.userId, amr: next.amr, interactionId: id, formAction: formActionSources(request.redirectUri), ...(next.deferrable ? { deferrable: true } : {}) });
    return reply.redirect(secondFactorPage(issuer, next.step), 303);
  }
  const page = next.kind === 'login' ? 'login' : 'consent';
  return reply.redirect(`${issuer}/${page}?interaction=${id}`, 303);
}

/** `{issuer}/login/second-factor` to enter a code, `{issuer}/login/enrol` to set a factor up. */
export const secondFactorPage = (issuer: string, step: 'verify' | 'enrol') => `${issuer}/login/${step === 'verify' ? 'second-factor' : 'enrol'}`;
