import { ADDRESS_FIELDS, PROFILE_FIELDS } from '../accounts/profile-form.js';
import type { FactorOverview } from '../domain/mfa/second-factors.js';
import { errorBanner, hiddenFields, noticeBanner, passwordField } from './form-parts.js';
import { html, type SafeHtml } from './html.js';
import { passkeyForm, passkeyNameField, type PasskeyCeremony } from './second-factor-pages.js';
import { layout } from './layout.js';

export interface AccountSessionView {
  readonly id: string;
  readonly browser: string;
  readonly network: string | null;
  readonly signedInAt: string;
  readonly current: boolean;
}

export interface ConnectedAppView {
  readonly clientId: string;
  readonly name: string;
  readonly scopes: readonly string[];
}

export interface AccountPageModel {
  readonly tenant: string;
  readonly tenantDisplayName: string;
  readonly base: string;
  readonly email: string;
  readonly emailVerified: boolean;
  /** Current values of the profile form, by field name (`givenName`, `address.locality`, …). */
  readonly profile: Readonly<Record<string, string>>;
  readonly minLength: number;
  /**
   * How the user proves it is them before a sensitive change: the current password, or (for a user
   * without one) a sign-in within the last `withinMinutes`, which this session has or has not.
   */
  readonly ownerProof: { readonly kind: 'password' } | { readonly kind: 'recent_sign_in'; readonly recent: boolean; readonly withinMinutes: number };
  readonly csrf: { readonly profile: string; readonly password: string; readonly email: string; readonly sessions: string; readonly apps: string; readonly logout: string; readonly mfa: string };
  readonly factors: FactorOverview;
  /** Upstream providers this account signs in with. */
  readonly linkedProviders: ReadonlyArray<{ readonly providerId: string; readonly name: string; readonly since: string }>;
  /** The "Add a passkey" ceremony (a registration challenge held for this session). */
  readonly passkeyCeremony: PasskeyCeremony;
  readonly sessions: readonly AccountSessionView[];
  /** More sessions exist than are listed. */
  readonly moreSessions: boolean;
  readonly apps: readonly ConnectedAppView[];
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
}

/**
 * `{issuer}/account`: profile, password, address, sessions and connected apps. Every form posts to
 * its own route with a CSRF token bound to the session; destructive ones name what they act on.
 */
export function renderAccountPage(m: AccountPageModel): string {
  const action = (path: string) => `${m.base}/account/${path}`;
  return layout({
    title: `Your account – ${m.tenantDisplayName}`,
    stylesheet: `/tenants/${m.tenant}/assets/lanyard.css`,
    wide: true,
    scriptNonce: m.passkeyCeremony.nonce,
    body: html`<h1>Your ${m.tenantDisplayName} account</h1>
<p class="muted">Signed in as ${m.email}${m.emailVerified ? null : html` <span class="badge">unverified</span>`}</p>
${noticeBanner(m.notice)}
${errorBanner(m.error)}
<form method="post" action="${action('logout')}">
${hiddenFields({ csrf_token: m.csrf.logout })}
<button type="submit" class="secondary">Sign out</button>
</form>

<section aria-labelledby="profile">
<h2 id="profile">Profile</h2>
<form method="post" action="${action('profile')}">
${hiddenFields({ csrf_token: m.csrf.profile })}
${Object.entries(PROFILE_FIELDS).map(([field, label]) => profileInput(field, label, m.profile[field] ?? ''))}
<fieldset>
<legend>Address</legend>
${Object.entries(ADDRESS_FIELDS).map(([field, label]) => profileInput(`address.${field}`, label, m.profile[`address.${field}`] ?? ''))}
</fieldset>
<button type="submit">Save profile</button>
</form>
</section>

<section aria-labelledby="password-heading">
<h2 id="password-heading">Password</h2>
<form method="post" action="${action('password')}" autocomplete="on">
${hiddenFields({ csrf_token: m.csrf.password })}
<input type="hidden" name="username" autocomplete="username" value="${m.email}">
${ownerProof(m, 'current_password')}
${passwordField({ id: 'new_password', label: 'New password', autocomplete: 'new-password', minLength: m.minLength })}
<button type="submit">${m.ownerProof.kind === 'password' ? 'Change password' : 'Set a password'}</button>
</form>
<p class="muted">Changing your password signs you out everywhere else.</p>
</section>

${twoStepSection(m, action)}

${passkeySection(m, action)}

${m.linkedProviders.length === 0
  ? null
  : html`<section aria-labelledby="providers-heading">
<h2 id="providers-heading">Linked sign-in providers</h2>
<ul class="items">
${m.linkedProviders.map(
  (p) => html`<li><span>${p.name}<br><span class="muted">linked ${p.since}</span></span>
<form method="post" action="${action('providers/unlink')}">${hiddenFields({ csrf_token: m.csrf.mfa, provider_id: p.providerId })}<button type="submit" class="secondary" aria-label="Unlink ${p.name}">Unlink</button></form></li>`,
)}
</ul>
<p class="muted">You can unlink a provider while another way to sign in remains: a password, a passkey, or another provider.</p>
</section>`}

<section aria-labelledby="email-heading">
<h2 id="email-heading">Email address</h2>
<form method="post" action="${action('email')}">
${hiddenFields({ csrf_token: m.csrf.email })}
<label for="new_email">New email address</label>
<input id="new_email" name="new_email" type="email" autocomplete="email" required maxlength="254">
${ownerProof(m, 'email_password')}
<button type="submit">Change email address</button>
</form>
<p class="muted">We send a link to the new address; the change happens when you open it.</p>
</section>

<section aria-labelledby="sessions-heading">
<h2 id="sessions-heading">Where you are signed in</h2>
<ul class="items">
${m.sessions.map(
  (s) => html`<li><span>${s.browser}${s.network === null ? null : html` <span class="muted">from ${s.network}</span>`}<br><span class="muted">since ${s.signedInAt}</span></span>
${s.current
  ? html`<span class="badge">this browser</span>`
  : html`<form method="post" action="${action('sessions/revoke')}">${hiddenFields({ csrf_token: m.csrf.sessions, session_id: s.id })}<button type="submit" class="secondary" aria-label="Sign out ${s.browser} since ${s.signedInAt}">Sign out</button></form>`}</li>`,
)}
</ul>
${m.moreSessions ? html`<p class="muted">Only your most recent sign-ins are listed. Changing your password signs you out everywhere else.</p>` : null}
</section>

<section aria-labelledby="apps-heading">
<h2 id="apps-heading">Connected apps</h2>
${m.apps.length === 0
  ? html`<p class="muted">No app has access to your account.</p>`
  : html`<ul class="items">
${m.apps.map(
  (a) => html`<li><span>${a.name}<br><span class="muted">${a.scopes.join(', ')}</span></span>
<form method="post" action="${action('apps/revoke')}">${hiddenFields({ csrf_token: m.csrf.apps, client_id: a.clientId })}<button type="submit" class="secondary" aria-label="Revoke access of ${a.name}">Revoke</button></form></li>`,
)}
</ul>`}
</section>`,
  });
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What a sensitive form asks for to prove the owner is at the browser: the current password, or
 * for a user without one, nothing while the sign-in is recent and otherwise a sign-in again.
 */
function ownerProof(m: AccountPageModel, id: string): SafeHtml {
  const proof = m.ownerProof;
  if (proof.kind === 'password') return passwordField({ id, label: 'Current password', autocomplete: 'current-password' });
  return proof.recent
    ? html`<p class="muted">Your account has no password, so this needs a recent sign-in instead: you signed in within the last ${String(proof.withinMinutes)} minutes.</p>`
    : html`<p class="muted">Your account has no password, so this needs a sign-in within the last ${String(proof.withinMinutes)} minutes: sign out and sign in again first.</p>`;
}

/**
 * Two-step verification: the authenticator app, and the recovery codes that stand in for any
 * second factor (the app or a passkey), each with its actions.
 */
function twoStepSection(m: AccountPageModel, action: (path: string) => string): SafeHtml {
  const { totp, recoveryCodes, enrolmentDueAt, passkeys } = m.factors;
  const anyFactor = totp !== undefined || passkeys.length > 0;
  return html`<section aria-labelledby="mfa-heading">
<h2 id="mfa-heading">Two-step verification</h2>
${totp === undefined
  ? html`<p class="muted">Protect your account with a code from an authenticator app as well as your password.${enrolmentDueAt === null || anyFactor ? null : html` Your organisation requires it from ${day(enrolmentDueAt)}.`}</p>
<form method="post" action="${action('totp/start')}">${hiddenFields({ csrf_token: m.csrf.mfa })}<button type="submit">Set up an authenticator app</button></form>`
  : html`<ul class="items"><li><span>Authenticator app<br><span class="muted">added ${day(totp.createdAt)}${totp.lastUsedAt === null ? null : html`, last used ${day(totp.lastUsedAt)}`}</span></span><span class="badge">on</span></li></ul>`}
${!anyFactor
  ? null
  : html`<ul class="items"><li><span>Recovery codes<br><span class="muted">${recoveryCodes === undefined ? 'none' : `${recoveryCodes.remaining} of 10 unused`}</span></span></li></ul>
<form method="post" action="${action('recovery-codes')}">
${hiddenFields({ csrf_token: m.csrf.mfa })}
<input type="hidden" name="username" autocomplete="username" value="${m.email}">
${ownerProof(m, 'codes_password')}
<button type="submit" class="secondary">Make new recovery codes</button>
</form>`}
${totp === undefined
  ? null
  : html`<form method="post" action="${action('totp/remove')}">
${hiddenFields({ csrf_token: m.csrf.mfa })}
<input type="hidden" name="username" autocomplete="username" value="${m.email}">
${ownerProof(m, 'remove_password')}
<button type="submit" class="secondary">${passkeys.length === 0 ? 'Turn off two-step verification' : 'Remove the authenticator app'}</button>
</form>`}
</section>`;
}

/** Passkeys: each with its name, dates and kind, a rename and a remove form; then "Add a passkey". */
function passkeySection(m: AccountPageModel, action: (path: string) => string): SafeHtml {
  const { passkeys } = m.factors;
  return html`<section aria-labelledby="passkeys-heading">
<h2 id="passkeys-heading">Passkeys</h2>
${passkeys.length === 0
  ? html`<p class="muted">Sign in with your fingerprint, face, screen lock or a security key instead of a password.</p>`
  : html`<ul class="items">
${passkeys.map(
  (p) => html`<li><span>${p.name}<br><span class="muted">${p.deviceType === 'multiDevice' ? 'synced' : 'this device only'}, added ${day(p.createdAt)}${p.lastUsedAt === null ? null : html`, last used ${day(p.lastUsedAt)}`}</span></span>
<details><summary>Rename</summary><form method="post" action="${action('passkeys/rename')}">${hiddenFields({ csrf_token: m.csrf.mfa, passkey_id: p.id })}<label for="rename-${p.id}">New name for passkey ${p.name}</label>
<input id="rename-${p.id}" name="passkey_name" type="text" maxlength="100" required value="${p.name}"><button type="submit" class="secondary">Save the name</button></form></details>
<form method="post" action="${action('passkeys/remove')}">${hiddenFields({ csrf_token: m.csrf.mfa, passkey_id: p.id })}<button type="submit" class="secondary" aria-label="Remove passkey ${p.name}">Remove</button></form></li>`,
)}
</ul>`}
${passkeyForm(
  'register',
  action('passkeys'),
  m.passkeyCeremony.options,
  { csrf_token: m.csrf.mfa },
  'Add a passkey',
  passkeyNameField(),
)}
</section>`;
}

/** Autocomplete tokens (HTML Living Standard §4.10.18.7) of the profile fields that have one. */
const AUTOCOMPLETE: Readonly<Record<string, string>> = {
  name: 'name',
  givenName: 'given-name',
  middleName: 'additional-name',
  familyName: 'family-name',
  nickname: 'nickname',
  preferredUsername: 'username',
  profile: 'url',
  picture: 'photo',
  website: 'url',
  birthdate: 'bday',
  locale: 'language',
  phoneNumber: 'tel',
  'address.street_address': 'street-address',
  'address.locality': 'address-level2',
  'address.region': 'address-level1',
  'address.postal_code': 'postal-code',
  'address.country': 'country-name',
};

function profileInput(field: string, label: string, value: string): SafeHtml {
  const id = `profile-${field.replace('.', '-')}`;
  return html`<label for="${id}">${label}</label>
<input id="${id}" name="${field}" type="text" maxlength="500" value="${value}" autocomplete="${AUTOCOMPLETE[field] ?? 'off'}">`;
}
