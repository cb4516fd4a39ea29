import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessDenied } from '@lanyard/errors';
import { constantTimeEqual } from '@lanyard/security';
import { BROWSER_BINDING_COOKIE } from '../oauth/cookies.js';
import { browserBinding } from '../oauth/interaction/browser-binding.js';

/**
 * CSRF tokens of the account pages, stateless (an HMAC, nothing stored):
 * - anonymous forms (sign-up, forgot password, reset, invitation) bind the token to this browser's
 *   binding cookie and the form's purpose, so a page of another site cannot post them for the user
 *   (login CSRF) and a token of one form does not fit another;
 * - signed-in forms (the account page) bind it to the session, so it dies with the session.
 * Compared in constant time.
 */
export class FormCsrf {
  constructor(private readonly key: Buffer) {}

  /** The token for an anonymous form shown to this browser (sets the binding cookie if needed). */
  forBrowser(request: FastifyRequest, reply: FastifyReply, tenant: string, purpose: string): string {
    return this.#mac(`browser|${tenant}|${purpose}|${browserBinding(request, reply, tenant)}`);
  }

  checkBrowser(request: FastifyRequest, tenant: string, purpose: string, token: string | undefined): void {
    const binding = request.cookies[BROWSER_BINDING_COOKIE];
    if (binding === undefined || token === undefined || !constantTimeEqual(token, this.#mac(`browser|${tenant}|${purpose}|${binding}`))) {
      throw new AccessDenied('The form has expired. Go back, reload the page and try again.', { detail: `csrf token mismatch (${purpose})` });
    }
  }

  forSession(sessionId: string, purpose: string): string {
    return this.#mac(`session|${sessionId}|${purpose}`);
  }

  checkSession(sessionId: string, purpose: string, token: string | undefined): void {
    if (token === undefined || !constantTimeEqual(token, this.forSession(sessionId, purpose))) {
      throw new AccessDenied('The form has expired. Go back, reload the page and try again.', { detail: `csrf token mismatch (${purpose})` });
    }
  }

  #mac(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}
