import type { Tenant } from '@lanyard/db';
import type { ActionTokenRefusal } from '../domain/accounts/action-token-service.js';
import { renderNoticePage } from '../pages/account-pages.js';
import { pageTenant } from './page-kit.js';

const MESSAGES: Record<ActionTokenRefusal, string> = {
  invalid: 'This link is not valid. It may be incomplete, or meant for something else.',
  expired: 'This link has expired.',
  used: 'This link has already been used.',
};

/** HTTP status of each refusal: 410 Gone says a link did exist but is no more. */
export const REFUSAL_STATUS: Record<ActionTokenRefusal, number> = { invalid: 400, expired: 410, used: 410 };

/** The audit reason of each refusal. */
export const REFUSAL_REASON = { invalid: 'link_invalid', expired: 'link_expired', used: 'link_used' } as const satisfies Record<ActionTokenRefusal, string>;

/** A clear page for a link that cannot be used, with the way to get a new one. */
export function renderLinkRefused(tenant: Tenant, reason: ActionTokenRefusal, retry: { readonly label: string; readonly href: string }): string {
  return renderNoticePage({ ...pageTenant(tenant), kind: 'error', title: 'This link cannot be used', message: MESSAGES[reason], links: [[retry.label, retry.href]] });
}
