import { EmailParamError } from './email-param-error.js';

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * Says how long a link stays valid in the largest whole unit: `45 minutes`, `1 hour`, `2 days`.
 * Refuses anything but a positive integer up to `max` (a caller passing seconds by mistake would
 * otherwise promise a link that lasts for months).
 */
export function formatDuration(value: unknown, unit: 'minutes' | 'days', max: number, template: string, param: string): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new EmailParamError(template, param, `must be an integer from 1 to ${max}`);
  }
  if (unit === 'days') return plural(value, 'day');
  if (value % 1_440 === 0) return plural(value / 1_440, 'day');
  if (value % 60 === 0) return plural(value / 60, 'hour');
  return plural(value, 'minute');
}
