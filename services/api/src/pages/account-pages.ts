import { emailField, errorBanner, hiddenFields, linkRow, noticeBanner, passwordField } from './form-parts.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

/** What every self-service page knows about its issuer. */
export interface PageTenant {
  readonly tenant: string;
  readonly tenantDisplayName: string;
}

const page = (t: PageTenant, title: string, body: SafeHtml) =>
  layout({ title: `${title} – ${t.tenantDisplayName}`, stylesheet: `/tenants/${t.tenant}/assets/lanyard.css`, body });

export interface SignupPageModel extends PageTenant {
  readonly action: string;
  readonly hidden: Readonly<Record<string, string | undefined>>;
  readonly email: string;
  readonly name: string;
  readonly minLength: number;
  readonly error?: string | undefined;
  readonly signInHref: string;
}

/** Sign-up: email, optional name, a new password. The answer is "check your inbox" whatever the address. */
export function renderSignupPage(m: SignupPageModel): string {
  return page(
    m,
    'Create an account',
    html`<h1>Create your ${m.tenantDisplayName} account</h1>
${errorBanner(m.error)}
<form method="post" action="${m.action}" autocomplete="on">
${hiddenFields(m.hidden)}
${emailField(m.email)}
<label for="name">Name <span class="muted">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${m.name}">
${passwordField({ id: 'password', label: 'Password', autocomplete: 'new-password', minLength: m.minLength })}
<button type="submit">Create account</button>
</form>
${linkRow([['Already have an account? Sign in', m.signInHref]])}`,
  );
}

export interface EmailRequestPageModel extends PageTenant {
  readonly title: string;
  readonly intro: string;
  readonly action: string;
  readonly hidden: Readonly<Record<string, string | undefined>>;
  readonly email: string;
  readonly button: string;
  readonly error?: string | undefined;
  readonly backHref?: string | undefined;
}

/** A form asking for an address only: forgot password, resend verification. */
export function renderEmailRequestPage(m: EmailRequestPageModel): string {
  return page(
    m,
    m.title,
    html`<h1>${m.title}</h1>
<p>${m.intro}</p>
${errorBanner(m.error)}
<form method="post" action="${m.action}">
${hiddenFields(m.hidden)}
${emailField(m.email)}
<button type="submit">${m.button}</button>
</form>
${linkRow([m.backHref === undefined ? undefined : ['Back to sign-in', m.backHref]])}`,
  );
}

export interface NewPasswordPageModel extends PageTenant {
  readonly title: string;
  readonly intro: string;
  readonly action: string;
  readonly hidden: Readonly<Record<string, string | undefined>>;
  readonly minLength: number;
  readonly button: string;
  /** Invitations also ask for a name. */
  readonly askName?: { readonly value: string } | undefined;
  readonly error?: string | undefined;
}

/** Choosing a password through an emailed link: reset, or accepting an invitation. */
export function renderNewPasswordPage(m: NewPasswordPageModel): string {
  return page(
    m,
    m.title,
    html`<h1>${m.title}</h1>
<p>${m.intro}</p>
${errorBanner(m.error)}
<form method="post" action="${m.action}" autocomplete="on">
${hiddenFields(m.hidden)}
${m.askName === undefined ? null : html`<label for="name">Name <span class="muted">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${m.askName.value}">`}
${passwordField({ id: 'password', label: 'New password', autocomplete: 'new-password', minLength: m.minLength, autofocus: m.askName === undefined })}
<button type="submit">${m.button}</button>
</form>`,
  );
}

export interface ConfirmPageModel extends PageTenant {
  readonly title: string;
  readonly intro: string;
  readonly action: string;
  readonly hidden: Readonly<Record<string, string | undefined>>;
  readonly button: string;
}

/**
 * The page behind a confirmation link. The link itself changes nothing (mail scanners fetch links
 * before people do); the button's POST does.
 */
export function renderConfirmPage(m: ConfirmPageModel): string {
  return page(
    m,
    m.title,
    html`<h1>${m.title}</h1>
<p>${m.intro}</p>
<form method="post" action="${m.action}">
${hiddenFields(m.hidden)}
<button type="submit">${m.button}</button>
</form>`,
  );
}

export interface NoticePageModel extends PageTenant {
  readonly title: string;
  readonly message: string;
  readonly kind?: 'info' | 'error';
  readonly links?: ReadonlyArray<readonly [label: string, href: string]>;
  /** A one-button form, e.g. "Send a new link". */
  readonly form?: { readonly action: string; readonly hidden: Readonly<Record<string, string | undefined>>; readonly button: string } | undefined;
}

/** The outcome of a step: "check your inbox", "this link has expired", "email verified". */
export function renderNoticePage(m: NoticePageModel): string {
  return page(
    m,
    m.title,
    html`<h1>${m.title}</h1>
${m.kind === 'error' ? errorBanner(m.message) : noticeBanner(m.message)}
${m.form === undefined ? null : html`<form method="post" action="${m.form.action}">
${hiddenFields(m.form.hidden)}
<button type="submit">${m.form.button}</button>
</form>`}
${linkRow(m.links ?? [])}`,
  );
}

/**
 * "Signing you in…": the last hop of a federated sign-in, back to the app, as a page that moves on
 * by itself. A 303 would continue the redirect chain of the upstream's form post, and browsers
 * check that whole chain against the upstream page's CSP `form-action`, which does not know the app.
 */
export function renderContinuePage(t: PageTenant, location: string): string {
  return layout({
    title: `Signing you in – ${t.tenantDisplayName}`,
    stylesheet: `/tenants/${t.tenant}/assets/lanyard.css`,
    refreshTo: location,
    // An entity, not the character: the bundles stay ASCII (scripts/build-images.mjs says why).
    body: html`<h1>Signing you in&hellip;</h1>
<p><a href="${location}">Continue to the application</a></p>`,
  });
}
