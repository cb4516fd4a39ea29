import type { AccountExistsParams } from './templates/account-exists.js';
import type { EmailChangedParams } from './templates/email-changed.js';
import type { EmailVerificationParams } from './templates/email-verification.js';
import type { GenericParams } from './templates/generic.js';
import type { InvitationParams } from './templates/invitation.js';
import type { LockoutNoticeParams } from './templates/lockout-notice.js';
import type { NewDeviceSignInParams } from './templates/new-device-sign-in.js';
import type { PasswordChangedParams } from './templates/password-changed.js';
import type { PasswordResetParams } from './templates/password-reset.js';
import type { PasswordSetParams } from './templates/password-set.js';
import type { RecoveryCodeUsedParams } from './templates/recovery-code-used.js';
import type { SecondFactorAddedParams } from './templates/second-factor-added.js';
import type { SecondFactorsResetParams } from './templates/second-factors-reset.js';

/**
 * The parameters of each template, by template name (`EmailParams['password_reset']`). Every one
 * carries `tenantDisplayName`, the tenant's branding.
 */
export interface EmailParams {
  readonly email_verification: EmailVerificationParams;
  readonly password_reset: PasswordResetParams;
  readonly password_changed: PasswordChangedParams;
  readonly password_set: PasswordSetParams;
  readonly email_changed: EmailChangedParams;
  readonly invitation: InvitationParams;
  readonly new_device_sign_in: NewDeviceSignInParams;
  readonly lockout_notice: LockoutNoticeParams;
  readonly account_exists: AccountExistsParams;
  readonly recovery_code_used: RecoveryCodeUsedParams;
  readonly second_factor_added: SecondFactorAddedParams;
  readonly second_factors_reset: SecondFactorsResetParams;
  readonly generic: GenericParams;
}
