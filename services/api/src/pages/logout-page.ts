import { html } from './html.js';
import { layout } from './layout.js';

export interface LogoutPageModel {
  readonly tenant: string;
  readonly tenantDisplayName: string;
  readonly csrfToken: string;
  /** Parameters carried through the confirmation (post_logout_redirect_uri, state, client_id). */
  readonly carry: Readonly<Record<string, string>>;
}

/**
 * Asks before signing out when the request cannot prove it comes from the user's app (no valid
 * id_token_hint): otherwise any site could log users out (OIDC RP-Initiated Logout §2).
 */
export function renderLogoutPage(model: LogoutPageModel): string {
  return layout({
    title: `Sign out – ${model.tenantDisplayName}`,
    stylesheet: `/tenants/${model.tenant}/assets/lanyard.css`,
    body: html`<h1>Sign out?</h1>
<p>You will be signed out of ${model.tenantDisplayName} in this browser.</p>
<form method="post" action="/tenants/${model.tenant}/oauth2/logout">
<input type="hidden" name="csrf_token" value="${model.csrfToken}">
${Object.entries(model.carry).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit" name="confirm" value="yes">Sign out</button>
</form>`,
  });
}

/** Shown after logout when there is nowhere registered to return to. */
export function renderLoggedOutPage(tenant: string, tenantDisplayName: string): string {
  return layout({
    title: `Signed out – ${tenantDisplayName}`,
    stylesheet: `/tenants/${tenant}/assets/lanyard.css`,
    body: html`<h1>You are signed out</h1><p>You can close this window.</p>`,
  });
}
