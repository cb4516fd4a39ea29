import { html, type SafeHtml } from './html.js';
import { WEBAUTHN_SCRIPT_INTEGRITY } from './webauthn-script.js';

export interface LayoutOptions {
  readonly title: string;
  /** Where the stylesheet lives: `{issuer}/assets/lanyard.css` or the server root's copy. */
  readonly stylesheet: string;
  readonly body: SafeHtml;
  /** The account page needs more room than a sign-in card. */
  readonly wide?: boolean;
  /** Pages with a passkey form load the WebAuthn script, allowed by this nonce in their CSP. */
  readonly scriptNonce?: string | undefined;
  /** Navigate to this URL at once (`<meta http-equiv="refresh">`): a new navigation, not a redirect. */
  readonly refreshTo?: string | undefined;
}

/** The document shell of every hosted page: one same-origin stylesheet, and no script but the passkey one where a page has a passkey form. */
export function layout({ title, stylesheet, body, wide = false, scriptNonce, refreshTo }: LayoutOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${refreshTo === undefined ? null : html`<meta http-equiv="refresh" content="0; url=${refreshTo}">`}
<title>${title}</title>
<link rel="stylesheet" href="${stylesheet}">
${scriptNonce === undefined ? null : html`<script src="${stylesheet.replace(/lanyard\.css$/, 'webauthn.js')}" nonce="${scriptNonce}" integrity="${WEBAUTHN_SCRIPT_INTEGRITY}" defer></script>`}
</head>
<body>
<main class="card${wide ? ' wide' : ''}">
${body}
</main>
</body>
</html>
`.value;
}
