import { html } from './html.js';
import { layout } from './layout.js';

export interface ConsentPageModel {
  readonly tenant: string;
  readonly tenantDisplayName: string;
  readonly clientName: string;
  readonly userEmail: string;
  readonly scopes: readonly string[];
  readonly interactionId: string;
  readonly csrfToken: string;
}

/** What each standard scope means to the person approving it. */
const DESCRIPTIONS: Record<string, string> = {
  openid: 'Confirm your identity',
  profile: 'See your name',
  email: 'See your email address and whether it is verified',
  offline_access: 'Stay signed in and access your data while you are away',
};

/** The consent screen (OIDC Core §3.1.2.4): names the client and every scope it asks for. */
export function renderConsentPage(model: ConsentPageModel): string {
  return layout({
    title: `Allow access – ${model.tenantDisplayName}`,
    stylesheet: `/tenants/${model.tenant}/assets/lanyard.css`,
    body: html`<h1>${model.clientName} wants access</h1>
<p class="muted">Signed in as ${model.userEmail}</p>
<ul class="scopes">
${model.scopes.map((scope) => html`<li>${DESCRIPTIONS[scope] ?? scope}${DESCRIPTIONS[scope] === undefined ? null : html` <span class="muted">(${scope})</span>`}</li>`)}
</ul>
<form method="post" action="/tenants/${model.tenant}/consent">
<input type="hidden" name="interaction" value="${model.interactionId}">
<input type="hidden" name="csrf_token" value="${model.csrfToken}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  });
}
