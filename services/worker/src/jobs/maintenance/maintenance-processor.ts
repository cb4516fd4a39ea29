import { UnrecoverableError, type Job } from 'bullmq';
import { MAINTENANCE_JOBS } from '@lanyard/contracts';
import type { Database } from '@lanyard/db';
import type { Logger } from '@lanyard/logger';
import type { EnvelopeCipher } from '@lanyard/security';
import type { RotationPolicy } from '@lanyard/signing-keys';
import type { Clock } from '@lanyard/clock';
import type { JobHandler } from '../job-handler.js';
import { cleanupExpiredRows, type CleanupCounts } from './cleanup-expired-rows.js';
import { rotateAllTenantKeys, type KeyRotationSummary } from './rotate-all-tenant-keys.js';

/** What the maintenance jobs work on; `clock` is "now" for expiry and rotation decisions. */
export interface MaintenanceDependencies {
  readonly db: Database;
  readonly cipher: EnvelopeCipher;
  readonly policy: RotationPolicy;
  readonly clock: Clock;
}

/**
 * Processor of the `maintenance` queue; both jobs run from job schedulers and are idempotent, so
 * a retry or an overlapping run on another replica is harmless.
 * - `cleanup` purges expired and revoked rows and returns the counts;
 * - `rotate-keys` applies the rotation plan of every signing algorithm to every tenant and fails (to
 *   be retried) if any tenant failed.
 */
export class MaintenanceProcessor implements JobHandler {
  readonly jobNames: readonly string[] = Object.values(MAINTENANCE_JOBS);

  constructor(private readonly deps: MaintenanceDependencies) {}

  async process(job: Job, log: Logger): Promise<CleanupCounts | KeyRotationSummary> {
    switch (job.name) {
      case MAINTENANCE_JOBS.cleanup:
        return this.#cleanup(log);
      case MAINTENANCE_JOBS.rotateKeys:
        return this.#rotateKeys(log);
      default:
        throw new UnrecoverableError(`unknown maintenance job "${job.name}"`);
    }
  }

  async #cleanup(log: Logger): Promise<CleanupCounts> {
    const counts = await cleanupExpiredRows(this.deps.db, this.deps.clock());
    log.info({ deleted: counts }, 'expired rows purged');
    return counts;
  }

  async #rotateKeys(log: Logger): Promise<KeyRotationSummary> {
    const { db, cipher, policy, clock } = this.deps;
    const summary = await rotateAllTenantKeys(db, cipher, policy, clock(), log);
    if (summary.failed.length > 0) {
      throw new Error(`signing-key rotation failed for ${summary.failed.length} of ${summary.tenants} tenant(s): ${summary.failed.join(', ')}`);
    }
    const { tenants, created, retired, removed, byAlg } = summary;
    log.info({ tenants, created, retired, removed, byAlg }, 'signing keys checked');
    return summary;
  }
}
