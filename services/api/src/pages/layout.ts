import { html, type SafeHtml } from './html.js';

export interface LayoutOptions {
  readonly title: string;
  /** Where the stylesheet lives: `{issuer}/assets/lanyard.css` or the server root's copy. */
  readonly stylesheet: string;
  readonly body: SafeHtml;
  /** The account page needs more room than a sign-in card. */
  readonly wide?: boolean;
}

/** The document shell of every hosted page: no scripts, one same-origin stylesheet. */
export function layout({ title, stylesheet, body, wide = false }: LayoutOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<link rel="stylesheet" href="${stylesheet}">
</head>
<body>
<main class="card${wide ? ' wide' : ''}">
${body}
</main>
</body>
</html>
`.value;
}
