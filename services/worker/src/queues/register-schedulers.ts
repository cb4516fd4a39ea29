import type { Queue } from 'bullmq';
import { MAINTENANCE_JOB_OPTIONS, MAINTENANCE_JOBS } from '@lanyard/contracts';

/** The configured intervals, in seconds. */
export interface ScheduleIntervals {
  readonly CLEANUP_INTERVAL_SECONDS: number;
  readonly KEY_ROTATION_CHECK_SECONDS: number;
}

/**
 * Registers the maintenance schedules. Scheduler ids are the job names, and `upsertJobScheduler`
 * creates or updates by id, so every replica can call this at start-up and there is still exactly
 * one schedule (and one pending job) per maintenance job; a changed interval replaces the old one.
 */
export async function registerSchedulers(queue: Queue, intervals: ScheduleIntervals): Promise<void> {
  const schedules = [
    { name: MAINTENANCE_JOBS.cleanup, everySeconds: intervals.CLEANUP_INTERVAL_SECONDS },
    { name: MAINTENANCE_JOBS.rotateKeys, everySeconds: intervals.KEY_ROTATION_CHECK_SECONDS },
  ];
  for (const { name, everySeconds } of schedules) {
    await queue.upsertJobScheduler(name, { every: everySeconds * 1000 }, { name, data: {}, opts: MAINTENANCE_JOB_OPTIONS });
  }
}
