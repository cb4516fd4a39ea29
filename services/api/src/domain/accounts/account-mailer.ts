import type { Clock } from '@lanyard/clock';
import type { EmailTemplate, SendEmailJob } from '@lanyard/contracts';
import type { Tenant } from '@lanyard/db';
import type { Logger } from '@lanyard/logger';
import { renderEmail, type EmailMessage, type EmailParams } from '@lanyard/emails';
import type { EmailOutbox } from '../../infra/email-outbox.js';
import { rateLimitPolicies, type RateLimitConfig } from '../rate-limit/rate-limit-policies.js';
import type { RateLimiter } from '../rate-limit/sliding-window-limiter.js';
import { accountPolicy } from './account-policy.js';

export type MailerConfig = RateLimitConfig;

/**
 * Renders the account emails (packages/emails) and hands them to the worker. Rules:
 * - every message has an idempotency key derived from what caused it (a token id, a password
 *   generation), so a retried request or job never mails twice;
 * - at most RATE_LIMIT_EMAILS_PER_ADDRESS_PER_HOUR messages of one template reach one address:
 *   beyond that the request still succeeds but nothing is queued, so our forms cannot be used to
 *   flood someone's inbox, and the answer reveals nothing;
 * - the sender is the tenant's (`accounts.emailFromName`/`emailFromAddress`).
 */
export class AccountMailer {
  constructor(
    private readonly outbox: Pick<EmailOutbox, 'enqueue'>,
    private readonly limiter: RateLimiter,
    private readonly config: MailerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Queues one message unless this address had its quota of this template; true when queued. */
  async send<T extends EmailTemplate>(tenant: Tenant, to: string, template: T, idempotencyKey: string, params: Omit<EmailParams[T], 'tenantDisplayName'>): Promise<boolean> {
    const policy = rateLimitPolicies(this.config, tenant).emailsPerAddress;
    const decision = await this.limiter.hit(policy, `${tenant.id}:${template}:${to}`);
    if (!decision.allowed) {
      this.log.warn({ tenant: tenant.name, template, event: 'email_suppressed' }, 'email not sent: this address had its hourly quota of this template');
      return false;
    }
    const { sender } = accountPolicy(tenant);
    // `params` is EmailParams[T] without the branding; TypeScript cannot narrow a generic T to one member of the union.
    const rendered = renderEmail({ template, ...params, tenantDisplayName: tenant.displayName } as unknown as EmailMessage);
    const job: SendEmailJob = {
      to,
      ...(sender.address === undefined ? { fromName: sender.name } : { from: mailbox(sender.name, sender.address) }),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      tenant: tenant.name,
      template,
      idempotencyKey,
    };
    await this.outbox.enqueue(job);
    return true;
  }

  /**
   * For notices the request must not fail over (a new-device or lockout notice): the sign-in goes
   * ahead when Redis refuses the job, and the failure is logged for the operator.
   */
  async notify<T extends EmailTemplate>(tenant: Tenant, to: string, template: T, idempotencyKey: string, params: Omit<EmailParams[T], 'tenantDisplayName'>): Promise<void> {
    try {
      await this.send(tenant, to, template, idempotencyKey, params);
    } catch (error) {
      this.log.error({ err: error, tenant: tenant.name, template }, 'notice email could not be queued');
    }
  }

  /** RFC 3339 "now", for templates that say when something happened. */
  now(): string {
    return this.clock().toISOString();
  }
}

/** `"Display Name" <address>` (RFC 5322 §3.4): the name quoted, so commas or angle brackets in it stay text. */
export function mailbox(name: string, address: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
}
