import type { Job } from 'bullmq';
import type { Logger } from '@lanyard/logger';

/**
 * What a queue's processor class implements: switch on `job.name`, throw `UnrecoverableError` for
 * failures that no retry can fix and any other error for transient ones. `log` already carries the
 * job's id, queue and name.
 */
export interface JobHandler {
  /** Job names this handler knows; anything else is labelled `unknown` in metrics. */
  readonly jobNames: readonly string[];
  process(job: Job, log: Logger): Promise<unknown>;
  /** Safe fields of the payload (tenant, template — never addresses or secrets) for every log line of the job. */
  logContext?(job: Job): Record<string, string>;
}
