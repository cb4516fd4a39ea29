import { html } from './html.js';
import { layout } from './layout.js';

export interface LoginPageModel {
  readonly tenant: string;
  readonly tenantDisplayName: string;
  readonly clientName: string;
  readonly interactionId: string;
  readonly csrfToken: string;
  readonly email: string;
  readonly error?: string;
}

/** The hosted sign-in form. No script; the form posts back to the issuer (303 on every outcome). */
export function renderLoginPage(model: LoginPageModel): string {
  return layout({
    title: `Sign in – ${model.tenantDisplayName}`,
    stylesheet: `/tenants/${model.tenant}/assets/lanyard.css`,
    body: html`<h1>Sign in to ${model.clientName}</h1>
<p class="muted">with your ${model.tenantDisplayName} account</p>
${model.error === undefined ? null : html`<p class="error" role="alert">${model.error}</p>`}
<form method="post" action="/tenants/${model.tenant}/login" autocomplete="on">
<input type="hidden" name="interaction" value="${model.interactionId}">
<input type="hidden" name="csrf_token" value="${model.csrfToken}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${model.email}"${model.email === '' ? html` autofocus` : null}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"${model.email === '' ? null : html` autofocus`}>
<button type="submit">Sign in</button>
</form>`,
  });
}
