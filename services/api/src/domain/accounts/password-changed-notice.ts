import type { Tenant, User } from '@lanyard/db';
import { accountLink } from './account-links.js';
import type { AccountMailer } from './account-mailer.js';

/**
 * "Your password was changed" after every change or reset, or "your account has a password now"
 * when it had none (a federated or passkey-only user), so an owner whose password was changed or
 * added by someone else finds out, with the way back in (a reset link request page).
 */
export class PasswordChangedNotice {
  constructor(
    private readonly mailer: Pick<AccountMailer, 'send' | 'now'>,
    private readonly issuerOf: (tenant: string) => string,
  ) {}

  async send(tenant: Tenant, user: User, change: { readonly hadPassword: boolean }): Promise<void> {
    const template = change.hadPassword ? 'password_changed' : 'password_set';
    // One notice per password generation, however often the request that caused it is retried.
    const generation = user.passwordChangedAt?.getTime() ?? 0;
    await this.mailer.send(tenant, user.email, template, `${template}.${user.id}.${generation}`, {
      when: this.mailer.now(),
      resetLink: accountLink(this.issuerOf(tenant.name), 'forgotPassword'),
    });
  }
}
