import type { PageTenant } from './account-pages.js';
import { errorBanner, hiddenFields, noticeBanner } from './form-parts.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

const page = (t: PageTenant, title: string, body: SafeHtml, scriptNonce?: string) =>
  layout({ title: `${title} – ${t.tenantDisplayName}`, stylesheet: `/tenants/${t.tenant}/assets/lanyard.css`, body, scriptNonce });

/** A passkey ceremony on a page: the server's options, and the nonce its script runs under. */
export interface PasskeyCeremony {
  readonly options: string;
  readonly nonce: string;
}

/**
 * A form the WebAuthn script drives (webauthn-script.ts): on submit it runs the ceremony with
 * `options` and posts the credential as `credential`, with the form's other fields.
 */
export const passkeyForm = (kind: 'register' | 'authenticate', action: string, options: string, hidden: Readonly<Record<string, string | undefined>>, button: string, extra: SafeHtml | null = null, buttonClass = 'secondary'): SafeHtml =>
  html`<form method="post" action="${action}" data-webauthn="${kind}" data-options="${options}">
${hiddenFields(hidden)}
<input type="hidden" name="credential" value="">
${extra}
<button type="submit" class="${buttonClass}">${button}</button>
<p class="muted" data-webauthn-status aria-live="polite"></p>
</form>`;

/** The code input: digits only, and the browser may offer a code it received (`one-time-code`). */
const otpField = (id: string, label: string, autofocus: boolean) => html`<label for="${id}">${label}</label>
<input id="${id}" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required${autofocus ? html` autofocus` : null}>`;

export interface SecondFactorPageModel extends PageTenant {
  readonly action: string;
  readonly csrfToken: string;
  readonly error?: string | undefined;
  /** Offer "Use a recovery code" (the user has unused ones). */
  readonly recoveryCodes: boolean;
  /** Offer "Use a passkey" (the user has some). */
  readonly passkey?: PasskeyCeremony | undefined;
  /** Offer the app's code form (the user has an authenticator app). */
  readonly totp: boolean;
}

/** "Enter the code from your authenticator app", with recovery codes as the way out. */
export function renderSecondFactorPage(m: SecondFactorPageModel): string {
  return page(
    m,
    'Two-step verification',
    html`<h1>Two-step verification</h1>
${errorBanner(m.error)}
${m.passkey === undefined ? null : passkeyForm('authenticate', m.action, m.passkey.options, { csrf_token: m.csrfToken, method: 'passkey' }, 'Use a passkey', null, m.totp ? 'secondary' : '')}
${m.totp
  ? html`<p class="muted">Open your authenticator app and enter the 6-digit code it shows for ${m.tenantDisplayName}.</p>
<form method="post" action="${m.action}" autocomplete="off">
${hiddenFields({ csrf_token: m.csrfToken, method: 'otp' })}
${otpField('code', 'Authentication code', true)}
<button type="submit">Verify</button>
</form>`
  : null}
${m.recoveryCodes
  ? html`<details>
<summary>Use a recovery code</summary>
<form method="post" action="${m.action}" autocomplete="off">
${hiddenFields({ csrf_token: m.csrfToken, method: 'recovery' })}
<label for="recovery_code">Recovery code</label>
<input id="recovery_code" name="code" type="text" autocomplete="off" spellcheck="false" maxlength="20" required>
<button type="submit" class="secondary">Use recovery code</button>
</form>
</details>`
  : null}`,
    m.passkey?.nonce,
  );
}

/** The name the owner gives a passkey as they add it (the server's rule is `passkeyName`'s). */
export const passkeyNameField = (): SafeHtml =>
  html`<label for="passkey_name">Name of the passkey</label>
<input id="passkey_name" name="passkey_name" type="text" maxlength="100" required placeholder="e.g. Work laptop">`;

export interface TotpEnrolPageModel extends PageTenant {
  readonly action: string;
  readonly csrfToken: string;
  readonly qrCode: SafeHtml;
  /** The secret in base32, for typing in by hand. */
  readonly secretText: string;
  readonly error?: string | undefined;
  readonly notice?: string | undefined;
  /** During a sign-in under a grace period: where "Not now" posts, and until when. */
  readonly later?: { readonly action: string; readonly until: string } | undefined;
  /** On the account page: a way back. */
  readonly cancelHref?: string | undefined;
  /** During a sign-in: a passkey instead of the app, registered against this ceremony. */
  readonly passkey?: { readonly action: string; readonly ceremony: PasskeyCeremony } | undefined;
}

/** Enrolment: scan the QR code (or type the key), then confirm with the first code. */
export function renderTotpEnrolPage(m: TotpEnrolPageModel): string {
  return page(
    m,
    'Set up an authenticator app',
    html`<h1>Set up an authenticator app</h1>
${noticeBanner(m.notice)}
${errorBanner(m.error)}
<p>Scan this code with an authenticator app (such as 1Password, Google Authenticator or Microsoft Authenticator).</p>
${m.qrCode}
<p class="muted">Can't scan it? Enter this key instead:</p>
<code class="secret">${m.secretText}</code>
<form method="post" action="${m.action}" autocomplete="off">
${hiddenFields({ csrf_token: m.csrfToken })}
${otpField('code', 'Enter the 6-digit code the app shows', false)}
<button type="submit">Turn on two-step verification</button>
</form>
${m.passkey === undefined
  ? null
  : html`<h2>Or add a passkey</h2>
<p>Use your fingerprint, face, screen lock or a security key instead of an app.</p>
${passkeyForm('register', m.passkey.action, m.passkey.ceremony.options, { csrf_token: m.csrfToken }, 'Add a passkey', passkeyNameField())}`}
${m.later === undefined
  ? null
  : html`<form method="post" action="${m.later.action}">${hiddenFields({ csrf_token: m.csrfToken })}<button type="submit" class="secondary">Not now</button></form>
<p class="muted">Your organisation requires two-step verification from ${m.later.until}.</p>`}
${m.cancelHref === undefined ? null : html`<nav class="links"><a href="${m.cancelHref}">Back to your account</a></nav>`}`,
    m.passkey?.ceremony.nonce,
  );
}

export interface RecoveryCodesPageModel extends PageTenant {
  readonly codes: readonly string[];
  /** Where "I have saved them" goes: a form (during sign-in) or a link (the account page). */
  readonly continueForm?: { readonly action: string; readonly csrfToken: string } | undefined;
  readonly continueHref?: string | undefined;
}

/** The codes, shown this once. */
export function renderRecoveryCodesPage(m: RecoveryCodesPageModel): string {
  return page(
    m,
    'Your recovery codes',
    html`<h1>Save your recovery codes</h1>
<p>If you lose your phone or your passkey, each of these codes signs you in once in its place. Keep them somewhere safe, such as a password manager. They are shown only now.</p>
<ol class="codes">${m.codes.map((c) => html`<li><code>${c}</code></li>`)}</ol>
${m.continueForm === undefined
  ? null
  : html`<form method="post" action="${m.continueForm.action}">${hiddenFields({ csrf_token: m.continueForm.csrfToken })}<button type="submit">I have saved them, continue</button></form>`}
${m.continueHref === undefined ? null : html`<nav class="links"><a href="${m.continueHref}">I have saved them, back to your account</a></nav>`}`,
  );
}
