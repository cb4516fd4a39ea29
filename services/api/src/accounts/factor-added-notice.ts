import type { Tenant, User, WebauthnCredential } from '@lanyard/db';
import { accountLink } from '../domain/accounts/account-links.js';
import type { AccountMailer } from '../domain/accounts/account-mailer.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';

export interface FactorAddedNoticeDeps {
  readonly mailer: Pick<AccountMailer, 'notify' | 'now'>;
  readonly tenants: Pick<TenantLookup, 'issuer'>;
}

/** Mails the owner that an authenticator app was added: the alarm for someone who did not add it. */
export async function noticeFactorAdded(deps: FactorAddedNoticeDeps, tenant: Tenant, user: User): Promise<void> {
  await deps.mailer.notify(tenant, user.email, 'second_factor_added', `second_factor_added.totp.${user.id}.${Date.parse(deps.mailer.now())}`, {
    when: deps.mailer.now(),
    factor: 'totp',
    accountLink: accountLink(deps.tenants.issuer(tenant.name), 'account'),
  });
}

/** The same for a passkey, named as its owner named it; once per passkey. */
export async function noticePasskeyAdded(deps: FactorAddedNoticeDeps, tenant: Tenant, user: User, credential: WebauthnCredential): Promise<void> {
  await deps.mailer.notify(tenant, user.email, 'second_factor_added', `second_factor_added.passkey.${credential.id}`, {
    when: deps.mailer.now(),
    factor: 'passkey',
    name: credential.name,
    accountLink: accountLink(deps.tenants.issuer(tenant.name), 'account'),
  });
}
