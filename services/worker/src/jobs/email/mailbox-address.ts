/**
 * The address of a mailbox written as `addr@host` or `Display Name <addr@host>` (RFC 5322 §3.4), or
 * undefined when it is neither.
 */
export function mailboxAddress(mailbox: string): string | undefined {
  const trimmed = mailbox.trim();
  const address = /<([^<>\s]+)>$/.exec(trimmed)?.[1] ?? trimmed;
  return /^[^@\s<>]+@[^@\s<>]+$/.test(address) ? address : undefined;
}
