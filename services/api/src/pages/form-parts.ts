import { html, type SafeHtml } from './html.js';

/** Hidden inputs carried by a form (CSRF token, interaction id, link token), escaped like everything else. */
export const hiddenFields = (fields: Readonly<Record<string, string | undefined>>): SafeHtml[] =>
  Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);

/** The message of a refused form (role=alert, so screen readers announce it). */
export const errorBanner = (message: string | undefined): SafeHtml | null => (message === undefined ? null : html`<p class="error" role="alert">${message}</p>`);

/** A confirmation after a step succeeded. */
export const noticeBanner = (message: string | undefined): SafeHtml | null => (message === undefined ? null : html`<p class="notice" role="status">${message}</p>`);

/** A link row under a form (e.g. "Create an account", "Forgot your password?"). */
export const linkRow = (links: ReadonlyArray<readonly [label: string, href: string] | undefined>): SafeHtml | null => {
  const present = links.filter((l): l is readonly [string, string] => l !== undefined);
  return present.length === 0 ? null : html`<nav class="links">${present.map(([label, href]) => html`<a href="${href}">${label}</a>`)}</nav>`;
};

export interface PasswordFieldOptions {
  readonly id: string;
  readonly label: string;
  readonly autocomplete: 'current-password' | 'new-password';
  readonly minLength?: number;
  readonly autofocus?: boolean;
}

/** A password input; new passwords state the minimum so the browser and the user know it up front. */
export const passwordField = (o: PasswordFieldOptions): SafeHtml => html`<label for="${o.id}">${o.label}</label>
<input id="${o.id}" name="${o.id}" type="password" autocomplete="${o.autocomplete}" required maxlength="256"${o.minLength === undefined ? null : html` minlength="${o.minLength}" aria-describedby="${o.id}-hint"`}${o.autofocus === true ? html` autofocus` : null}>
${o.minLength === undefined ? null : html`<p class="muted hint" id="${o.id}-hint">At least ${o.minLength} characters. Avoid passwords used elsewhere.</p>`}`;

export const emailField = (value: string, autofocus = true): SafeHtml => html`<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${value}"${autofocus ? html` autofocus` : null}>`;
