import { raw, type SafeHtml } from './html.js';

/**
 * A QR code as inline SVG, drawn on the server: no third-party request, no script, nothing for
 * CSP to allow (presentation attributes are not styles). Error correction M, as authenticator apps
 * scan it from a screen. The SVG is generated from the text, never copied from input, so it is safe.
 */
export async function qrCodeSvg(text: string, label: string): Promise<SafeHtml> {
  // Loaded on the first enrolment, not at start-up: only the TOTP enrolment page draws QR codes.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  const labelled = svg.replace('<svg ', `<svg class="qr" role="img" aria-label="${label.replace(/[^A-Za-z0-9 .,-]/g, '')}" `);
  return raw(labelled);
}
