import { LIMITS } from './identity-tenant-names.js';
import type { JSONSchemaProps } from './json-schema-props.js';

/**
 * Schema of `spec.mfa`: the tenant's second-factor policy, the admin API's `TenantMfa` with the same
 * bounds (docs/reference/mfa.md). As for `spec.accounts`, no field has a schema default: an absent
 * field is left out of the admin API body, so the identity service's default applies.
 */
export const mfaSchema: JSONSchemaProps = {
  type: 'object',
  description: 'Second-factor (MFA) policy of the tenant. An absent field takes the identity service\'s default.',
  properties: {
    policy: {
      type: 'string',
      description:
        'Optional (users may enrol a second factor on their account page) or Required (every user must enrol one, after the enrolment grace period). Defaults to Optional. A client with requireMfa needs a second factor whatever this policy is.',
      enum: ['Optional', 'Required'],
    },
    enrolmentGraceDays: {
      type: 'integer',
      description: `Under policy Required: days from a user's first sign-in under the policy until they must enrol a second factor before signing in, ${LIMITS.enrolmentGraceDaysMin} to ${LIMITS.enrolmentGraceDaysMax} (0 forces enrolment at once). Defaults to 7.`,
      minimum: LIMITS.enrolmentGraceDaysMin,
      maximum: LIMITS.enrolmentGraceDaysMax,
    },
  },
};
