import { EmailParamError } from './email-param-error.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
// RFC 3339 §5.6 date-time (a profile of ISO 8601), with or without fractional seconds.
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Formats an ISO 8601 / RFC 3339 timestamp as `3 March 2025, 14:05 UTC`. The recipient's time zone
 * is unknown, so the time is given in UTC and says so; the format spells the month out, so no
 * reader mistakes day for month.
 */
export function formatWhen(value: unknown, template: string, param: string): string {
  if (typeof value !== 'string' || !RFC_3339.test(value)) throw new EmailParamError(template, param, 'must be an RFC 3339 timestamp');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new EmailParamError(template, param, 'must be an RFC 3339 timestamp');
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${time} UTC`;
}
