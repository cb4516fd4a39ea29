import type { Block, EmailContent } from './email-content.js';
import { escapeHtml } from './escape-html.js';

// Inline styles only: most clients (Gmail, Outlook) drop <style> blocks and never load external
// CSS. System fonts, no images, no web fonts, no tracking pixels: the message renders the same
// offline and reveals nothing when it is opened. Colours meet WCAG 2.2 AA contrast (≥ 4.5:1).
const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const TEXT = `${FONT}font-size:16px;line-height:1.5;color:#18181b;`;
const MUTED = `${FONT}font-size:14px;line-height:1.5;color:#52525b;`;
const FOOTER = `${FONT}font-size:12px;line-height:1.5;color:#52525b;`;
const LINK = 'color:#1d4ed8;text-decoration:underline;word-break:break-all;';

const e = escapeHtml;

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;${TEXT}">${lines(b.text)}</p>`;
    case 'note':
      return `<p style="margin:0 0 16px;${MUTED}">${lines(b.text)}</p>`;
    case 'action':
      // A real link styled as a button (no image, no VML), followed by the address itself for
      // clients that mangle the button and for readers who want to see where it goes.
      return [
        `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px;border-collapse:separate;">`,
        `<tr><td style="border-radius:6px;background-color:#1d4ed8;">`,
        `<a href="${e(b.url)}" style="display:inline-block;padding:12px 24px;${FONT}font-size:16px;font-weight:600;line-height:1.25;color:#ffffff;text-decoration:none;border-radius:6px;">${e(b.label)}</a>`,
        `</td></tr></table>`,
        `<p style="margin:0 0 16px;${MUTED}">If the button does not work, copy this address into your browser:<br><a href="${e(b.url)}" style="${LINK}">${e(b.url)}</a></p>`,
      ].join('\n');
    case 'details':
      return [
        `<table cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;border-collapse:collapse;">`,
        ...b.rows.map(
          ([label, value]) =>
            `<tr><th scope="row" style="padding:4px 16px 4px 0;text-align:left;vertical-align:top;${MUTED}font-weight:600;">${e(label)}</th><td style="padding:4px 0;vertical-align:top;${TEXT}word-break:break-word;">${e(value)}</td></tr>`,
        ),
        `</table>`,
      ].join('\n');
  }
}

/** Escapes, then keeps the text's own line breaks. */
const lines = (text: string) => text.split('\n').map(e).join('<br>\n');

/**
 * The one HTML layout of every message: the tenant's name at the top, a card with the heading and
 * blocks, and an automated-message footer. Layout tables carry `role="presentation"` so screen
 * readers do not announce them; the document has a language, a title and a real heading.
 */
export function htmlLayout(content: EmailContent): string {
  const tenant = e(content.tenant);
  return `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${e(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border:1px solid #e4e4e7;border-radius:8px;">
<tr><td style="padding:24px 32px 0;${MUTED}font-weight:600;">${tenant}</td></tr>
<tr><td style="padding:16px 32px 8px;">
${content.heading === undefined ? '' : `<h1 style="margin:0 0 16px;${FONT}font-size:22px;line-height:1.3;font-weight:700;color:#18181b;">${e(content.heading)}</h1>\n`}${content.blocks.map(block).join('\n')}
</td></tr>
</table>
<p style="margin:16px 0 0;max-width:560px;${FOOTER}">This is an automated message from ${tenant}. Please do not reply to it.</p>
</td></tr>
</table>
</body>
</html>
`;
}
