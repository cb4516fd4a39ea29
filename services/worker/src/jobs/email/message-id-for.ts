import { createHash } from 'node:crypto';
import { mailboxAddress } from './mailbox-address.js';

const FALLBACK_DOMAIN = 'lanyard.invalid';

/**
 * The Message-ID (RFC 5322 §3.6.4) of the message with this idempotency key: the same for every
 * attempt, so if SMTP accepted a message but the worker died before recording it (RFC 1047), the
 * copy a retry sends carries the same Message-ID and receiving systems can drop it as a duplicate.
 *
 * The left part is a digest of the key, not the key itself: always a valid `dot-atom-text` (a key
 * may contain `..` or end in `.`), of fixed length, and it shows recipients no internal ids. The
 * right part is the domain of the From address, falling back to `lanyard.invalid` (RFC 2606).
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const digest = createHash('sha256').update(`lanyard-email:${idempotencyKey}`).digest('hex').slice(0, 40);
  const domain = mailboxAddress(from)?.split('@').at(-1);
  return `<${digest}@${domain !== undefined && /^[A-Za-z0-9.-]+$/.test(domain) ? domain.toLowerCase() : FALLBACK_DOMAIN}>`;
}
