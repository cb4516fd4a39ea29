import { MAX_SIGNED_TOKEN_LIFETIME_SECONDS, type RotationPolicy } from '@lanyard/signing-keys';

/** The configuration fields the policy is built from. */
export interface RotationPolicyConfig {
  readonly SIGNING_KEY_ROTATION_DAYS: number;
  readonly SIGNING_KEY_PUBLISH_AHEAD_SECONDS: number;
}

/**
 * The signing-key rotation policy from configuration. A retired key stays published for the longest
 * lifetime any key may sign, not the configured access-token TTL, because clients may override
 * token lifetimes up to that cap.
 */
export function rotationPolicy(config: RotationPolicyConfig): RotationPolicy {
  return {
    rotationPeriodSeconds: config.SIGNING_KEY_ROTATION_DAYS * 86_400,
    publishAheadSeconds: config.SIGNING_KEY_PUBLISH_AHEAD_SECONDS,
    maxTokenLifetimeSeconds: MAX_SIGNED_TOKEN_LIFETIME_SECONDS,
  };
}
