import type { EmailContent } from './email-content.js';
import type { EmailMessage } from './email-message.js';
import { EmailParamError } from './email-param-error.js';
import { renderContent } from './render-content.js';
import type { RenderedEmail } from './rendered-email.js';
import { accountExists } from './templates/account-exists.js';
import { emailChanged } from './templates/email-changed.js';
import { emailVerification } from './templates/email-verification.js';
import { generic } from './templates/generic.js';
import { invitation } from './templates/invitation.js';
import { lockoutNotice } from './templates/lockout-notice.js';
import { newDeviceSignIn } from './templates/new-device-sign-in.js';
import { passwordChanged } from './templates/password-changed.js';
import { passwordReset } from './templates/password-reset.js';
import { passwordSet } from './templates/password-set.js';
import { recoveryCodeUsed } from './templates/recovery-code-used.js';
import { secondFactorAdded } from './templates/second-factor-added.js';
import { secondFactorsReset } from './templates/second-factors-reset.js';

function content(message: EmailMessage): EmailContent {
  switch (message.template) {
    case 'email_verification':
      return emailVerification(message);
    case 'password_reset':
      return passwordReset(message);
    case 'password_changed':
      return passwordChanged(message);
    case 'password_set':
      return passwordSet(message);
    case 'email_changed':
      return emailChanged(message);
    case 'invitation':
      return invitation(message);
    case 'new_device_sign_in':
      return newDeviceSignIn(message);
    case 'lockout_notice':
      return lockoutNotice(message);
    case 'account_exists':
      return accountExists(message);
    case 'recovery_code_used':
      return recoveryCodeUsed(message);
    case 'second_factor_added':
      return secondFactorAdded(message);
    case 'second_factors_reset':
      return secondFactorsReset(message);
    case 'generic':
      return generic(message);
    default: {
      const unknown: never = message;
      throw new EmailParamError(String((unknown as { template?: unknown }).template), 'template', 'is not a known template');
    }
  }
}

/**
 * Renders one message as a subject, a plain-text body and an HTML body, branded with the tenant's
 * display name. Pure: no I/O, no clock, the same output for the same input.
 *
 * Every interpolated value is HTML-escaped in the HTML part; free-text values (names, the browser
 * description) are reduced to one printable line and cut to a sane length; links must be absolute
 * http(s) URLs; the subject never contains CR, LF or another control character.
 *
 * @throws {EmailParamError} when a parameter cannot be rendered safely (a link that is not http(s),
 *   a malformed timestamp, a duration or count out of range, an unknown kind, an oversized generic
 *   body).
 */
export function renderEmail(message: EmailMessage): RenderedEmail {
  return renderContent(content(message));
}
