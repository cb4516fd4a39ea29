import type { EmailContent } from '../email-content.js';
import { EmailParamError } from '../email-param-error.js';
import { LIMITS } from '../limits.js';
import { BIDI_CONTROLS, BREAKING, oneLine } from '../one-line.js';

const TEMPLATE = 'generic';

export interface GenericParams {
  readonly tenantDisplayName: string;
  readonly subject: string;
  /** Plain text; blank lines separate paragraphs, single line breaks are kept. Never interpreted as HTML. */
  readonly text: string;
}


/** A message whose text the producer wrote itself; it is shown as text in both parts, never as markup. */
export function generic(params: GenericParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const subject = oneLine(params.subject, LIMITS.genericSubject, TEMPLATE, 'subject');
  if (typeof params.text !== 'string') throw new EmailParamError(TEMPLATE, 'text', 'must be a string');
  if (params.text.length > LIMITS.genericText) throw new EmailParamError(TEMPLATE, 'text', `must be at most ${LIMITS.genericText} characters`);
  // CRLF and CR become LF, TAB four spaces, bidi controls nothing; every other control (NUL, ESC, …) a space.
  const text = params.text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(BIDI_CONTROLS, '')
    .replace(BREAKING, (c) => (c === '\n' ? c : ' '));
  const paragraphs = text
    .split(/\n[ \t]*\n/)
    .map((p) => p.split('\n').map((line) => line.trimEnd()).join('\n').replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim() !== '');
  if (paragraphs.length === 0) throw new EmailParamError(TEMPLATE, 'text', 'must not be empty');
  return { tenant, subject, blocks: paragraphs.map((p) => ({ kind: 'paragraph', text: p })) };
}
