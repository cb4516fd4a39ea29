import { emailField, errorBanner, hiddenFields, linkRow, noticeBanner, passwordField } from './form-parts.js';
import { html } from './html.js';
import { layout } from './layout.js';

export interface LoginPageModel {
  readonly tenant: string;
  readonly tenantDisplayName: string;
  /** What the user is signing in to: an app's name, or the tenant's account page. */
  readonly heading: string;
  /** Where the form posts: `{issuer}/login` for an app, `{issuer}/account/login` for the account page. */
  readonly action: string;
  /** interaction id and CSRF token. */
  readonly hidden: Readonly<Record<string, string | undefined>>;
  readonly email: string;
  readonly error?: string | undefined;
  readonly notice?: string | undefined;
  /** Shown when the tenant's policy allows them. */
  readonly signupHref?: string | undefined;
  readonly forgotHref?: string | undefined;
}

/** The hosted sign-in form. No script; the form posts back to the issuer (303 on every outcome). */
export function renderLoginPage(model: LoginPageModel): string {
  return layout({
    title: `Sign in – ${model.tenantDisplayName}`,
    stylesheet: `/tenants/${model.tenant}/assets/lanyard.css`,
    body: html`<h1>Sign in to ${model.heading}</h1>
<p class="muted">with your ${model.tenantDisplayName} account</p>
${noticeBanner(model.notice)}
${errorBanner(model.error)}
<form method="post" action="${model.action}" autocomplete="on">
${hiddenFields(model.hidden)}
${emailField(model.email, model.email === '')}
${passwordField({ id: 'password', label: 'Password', autocomplete: 'current-password', autofocus: model.email !== '' })}
<button type="submit">Sign in</button>
</form>
${linkRow([model.forgotHref === undefined ? undefined : ['Forgot your password?', model.forgotHref], model.signupHref === undefined ? undefined : ['Create an account', model.signupHref]])}`,
  });
}
