import { EmailParamError } from './email-param-error.js';

/** Far above any link we mint (issuer + path + a 43-character token), far below what clients choke on. */
const MAX_LINK_LENGTH = 2_048;

/**
 * Accepts an absolute `https:` (or, for local development, `http:`) URL and returns it serialised
 * (WHATWG URL), which percent-encodes quotes, spaces and angle brackets. Anything else is refused:
 * a `javascript:` or `data:` link must never reach a mailbox, and a value with whitespace or control
 * characters is refused before parsing, because the URL parser would silently drop them.
 */
export function checkLink(value: unknown, template: string, param: string): string {
  if (typeof value !== 'string') throw new EmailParamError(template, param, 'must be a string');
  if (value.length > MAX_LINK_LENGTH) throw new EmailParamError(template, param, `must be at most ${MAX_LINK_LENGTH} characters`);
  if (/[\s\p{Cc}]/u.test(value)) throw new EmailParamError(template, param, 'must not contain whitespace or control characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EmailParamError(template, param, 'must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new EmailParamError(template, param, 'must be an http(s) URL');
  if (url.username !== '' || url.password !== '') throw new EmailParamError(template, param, 'must not carry credentials');
  return url.href;
}
