import { emailField, errorBanner, hiddenFields, linkRow, noticeBanner, passwordField } from './form-parts.js';
import { html } from './html.js';
import { passkeyForm, type PasskeyCeremony } from './second-factor-pages.js';
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
  /** "Sign in with …" links of the tenant's upstream providers. */
  readonly providers?: ReadonlyArray<{ readonly label: string; readonly href: string }> | undefined;
  /** "Sign in with a passkey": where it posts, its hidden fields, and the ceremony. */
  readonly passkey?: { readonly action: string; readonly hidden: Readonly<Record<string, string | undefined>>; readonly ceremony: PasskeyCeremony } | undefined;
}

/**
 * The hosted sign-in form; it posts back to the issuer (303 on every outcome). The only script is
 * the passkey one, for "Sign in with a passkey"; the password form works without it.
 */
export function renderLoginPage(model: LoginPageModel): string {
  return layout({
    title: `Sign in – ${model.tenantDisplayName}`,
    stylesheet: `/tenants/${model.tenant}/assets/lanyard.css`,
    scriptNonce: model.passkey?.ceremony.nonce,
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
${model.providers === undefined || model.providers.length === 0 ? null : html`<nav class="providers" aria-label="Other ways to sign in">${model.providers.map((p) => html`<a class="button secondary" href="${p.href}">Sign in with ${p.label}</a>`)}</nav>`}
${model.passkey === undefined ? null : passkeyForm('authenticate', model.passkey.action, model.passkey.ceremony.options, model.passkey.hidden, 'Sign in with a passkey')}
${linkRow([model.forgotHref === undefined ? undefined : ['Forgot your password?', model.forgotHref], model.signupHref === undefined ? undefined : ['Create an account', model.signupHref]])}`,
  });
}
