import type { FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import { accountLink } from '../domain/accounts/account-links.js';
import { isSameBrowser } from '../oauth/interaction/browser-binding.js';
import type { Interaction, InteractionStore } from '../oauth/interaction/interaction-store.js';

export interface ResumeDeps {
  readonly interactions: Pick<InteractionStore, 'find' | 'save'>;
}

/**
 * The app sign-in a self-service step started from, when it can still be resumed: it exists, is
 * this tenant's, and belongs to this browser. A link opened in another browser (or after the
 * interaction expired) simply ends on the issuer's own sign-in page.
 */
export async function resumable(deps: ResumeDeps, request: FastifyRequest, tenant: Tenant, id: string | undefined): Promise<Interaction | undefined> {
  const interaction = await deps.interactions.find(id);
  if (interaction === undefined || interaction.request.tenantId !== tenant.id || !isSameBrowser(request, interaction.browserBindingHash)) return undefined;
  return interaction;
}

/** Where "sign in" goes: the app's pending sign-in, or the account page's sign-in. */
export function signInHref(issuer: string, interactionId: string | undefined): string {
  return interactionId === undefined ? accountLink(issuer, 'accountLogin') : `${issuer}/login?interaction=${interactionId}`;
}

/** `?interaction=…` to carry an app sign-in through the self-service pages. */
export const carry = (interactionId: string | undefined) => (interactionId === undefined ? '' : `?interaction=${interactionId}`);

/**
 * After a step that ends in signing in (email verified, password reset): back to the app's sign-in
 * with a confirmation and the address filled in, or to the account sign-in with a notice code.
 */
export async function continueToSignIn(deps: ResumeDeps, request: FastifyRequest, tenant: Tenant, issuer: string, interactionId: string | undefined, notice: AccountLoginNotice, email: string): Promise<string> {
  const interaction = await resumable(deps, request, tenant, interactionId);
  if (interaction === undefined) return `${accountLink(issuer, 'accountLogin')}?notice=${notice}`;
  await deps.interactions.save({ ...interaction, loginNotice: ACCOUNT_LOGIN_NOTICES[notice], loginError: undefined, loginEmail: email });
  return signInHref(issuer, interaction.id);
}

/** Fixed confirmations the sign-in pages show; a code in the URL, never text from it. */
export const ACCOUNT_LOGIN_NOTICES = {
  verified: 'Your email address is verified. Sign in to continue.',
  password_reset: 'Your password was changed. Sign in with the new one.',
  signed_out: 'You are signed out.',
  signup: 'Check your inbox to confirm your address, then sign in.',
} as const;

export type AccountLoginNotice = keyof typeof ACCOUNT_LOGIN_NOTICES;
