/**
 * What the dashboard shows of an `email/send` payload: the tenant and template. The address is
 * personal data and the body carries one-time links (a password-reset link is a credential), so
 * anyone who can open the dashboard must not be able to read them.
 */
export function redactEmailJobData(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null) return {};
  const { tenant, template } = data as Record<string, unknown>;
  return { tenant, template, to: '[redacted]', subject: '[redacted]', text: '[redacted]' };
}
