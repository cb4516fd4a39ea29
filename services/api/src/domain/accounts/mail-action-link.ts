import type { Clock } from '@lanyard/clock';
import type { Tenant, User, UserActionData, UserActionPurpose } from '@lanyard/db';
import { accountLink, type AccountPage } from './account-links.js';
import type { AccountMailer } from './account-mailer.js';
import type { ActionTokenService } from './action-token-service.js';

export interface MailActionLinkDeps {
  readonly tokens: Pick<ActionTokenService, 'issue'>;
  readonly mailer: Pick<AccountMailer, 'send'>;
  readonly issuerOf: (tenant: string) => string;
}

export interface ActionLink {
  readonly purpose: UserActionPurpose;
  /** The templates whose link expires in minutes. */
  readonly template: 'email_verification' | 'password_reset';
  /** The page the link opens. */
  readonly page: AccountPage;
  readonly ttlSeconds: number;
  /** Where it goes: the user's address unless it proves another (an address change). */
  readonly to: string;
  readonly data: UserActionData;
}

/**
 * Issues a one-time token and mails its link. The idempotency key is the token's id, so a retried
 * job never mails the same link twice. False when the address had its quota of this template.
 */
export async function mailActionLink(deps: MailActionLinkDeps, tenant: Tenant, user: Pick<User, 'id' | 'tenantId'>, link: ActionLink): Promise<boolean> {
  const { token, row } = await deps.tokens.issue(user, link.purpose, link.ttlSeconds, link.data);
  return deps.mailer.send(tenant, link.to, link.template, `${link.purpose}.${row.id}`, {
    link: accountLink(deps.issuerOf(tenant.name), link.page, token),
    expiresInMinutes: Math.round(link.ttlSeconds / 60),
  });
}

/** `interactionId` in a token's data only when there is one. */
export const resumeData = (resume: { interactionId?: string | undefined }): UserActionData => (resume.interactionId === undefined ? {} : { interactionId: resume.interactionId });

/**
 * Tells the owner of an address that someone tried to register it (sign-up, or another account's
 * address change), with links to sign in or reset: the answer to the stranger stays the same as
 * for a free address (no enumeration). One per hour per account, whatever the address quota says.
 */
export async function mailAccountExists(deps: Pick<MailActionLinkDeps, 'mailer' | 'issuerOf'> & { readonly clock: Clock }, tenant: Tenant, to: string, ownerId: string): Promise<void> {
  const issuer = deps.issuerOf(tenant.name);
  const hour = Math.floor(deps.clock().getTime() / 3_600_000);
  await deps.mailer.send(tenant, to, 'account_exists', `account_exists.${ownerId}.${hour}`, {
    signInLink: accountLink(issuer, 'account'),
    resetLink: accountLink(issuer, 'forgotPassword'),
  });
}
