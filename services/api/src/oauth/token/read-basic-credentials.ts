import { InvalidClient } from '@lanyard/errors';

export interface BasicCredentials {
  readonly id: string;
  readonly secret: string;
  /** The secret exactly as sent, for clients that skip the §2.3.1 urlencoding step. */
  readonly rawSecret: string;
}

/**
 * `Authorization: Basic` client credentials (RFC 6749 §2.3.1, RFC 7617). The id and secret are
 * form-urlencoded before base64; a value that does not decode is taken as sent.
 */
export function readBasicCredentials(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new InvalidClient('Malformed Basic credentials.', { headers: { 'www-authenticate': 'Basic' } });
  const rawSecret = decoded.slice(colon + 1);
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(rawSecret), rawSecret };
}

function formDecode(value: string): string {
  // Most ids and secrets have nothing to decode (the token hot path reads one of each per request).
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
