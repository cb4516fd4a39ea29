import { Writable } from 'node:stream';
import { UnrecoverableError, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@lanyard/logger';
import { Registry, createWorkerMetrics } from '@lanyard/metrics';
import type { JobHandler } from '../../../src/jobs/job-handler.js';
import { instrumentProcessor } from '../../../src/jobs/instrument-processor.js';

/** The few job fields the wrapper reads; a plain object, since no queue is involved here. */
const job = (fields: { name: string; attemptsMade?: number; attempts?: number; data?: unknown }) =>
  ({ id: '42', name: fields.name, attemptsMade: fields.attemptsMade ?? 0, opts: { attempts: fields.attempts ?? 3 }, data: fields.data ?? {} }) as unknown as Job;

function harness(process: JobHandler['process']) {
  const registry = new Registry();
  const metrics = createWorkerMetrics(registry, async () => []);
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  });
  const handler: JobHandler = {
    jobNames: ['send'],
    process,
    logContext: (j) => ({ tenant: String((j.data as { tenant?: string }).tenant) }),
  };
  const processor = instrumentProcessor('email', handler, metrics, createLogger({ service: 'worker', level: 'info', destination }));
  const count = async (labels: Record<string, string>) =>
    (await metrics.jobs.get()).values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k as 'queue'] === value))?.value ?? 0;
  return { processor, metrics, lines, count };
}

describe('instrumentProcessor', () => {
  it('returns the result, counts a success, times it and logs one line with the job identity', async () => {
    const { processor, metrics, lines, count } = harness(async () => ({ ok: true }));
    await expect(processor(job({ name: 'send', data: { tenant: 'acme', to: 'alice@acme.example' } }))).resolves.toEqual({ ok: true });
    expect(await count({ queue: 'email', name: 'send', result: 'success' })).toBe(1);
    expect((await metrics.jobDuration.get()).values.find((v) => v.metricName === 'identity_job_duration_seconds_count')?.value).toBe(1);
    expect(lines).toEqual([expect.objectContaining({ msg: 'job completed', jobId: '42', queue: 'email', jobName: 'send', tenant: 'acme', attempt: 1 })]);
    expect(JSON.stringify(lines)).not.toContain('alice');
  });

  it('counts a failure that will be retried as "retry" and rethrows it', async () => {
    const error = new Error('SMTP delivery failed');
    const { processor, lines, count } = harness(async () => {
      throw error;
    });
    await expect(processor(job({ name: 'send', attemptsMade: 1, attempts: 3 }))).rejects.toBe(error);
    expect(await count({ result: 'retry' })).toBe(1);
    expect(await count({ result: 'failure' })).toBe(0);
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'job failed; will retry', attempt: 2, maxAttempts: 3 });
  });

  it('counts the last attempt and unrecoverable errors as "failure"', async () => {
    const { processor, lines, count } = harness(async (j) => {
      throw j.attemptsMade === 0 ? new UnrecoverableError('550') : new Error('still down');
    });
    await expect(processor(job({ name: 'send', attemptsMade: 0, attempts: 5 }))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(processor(job({ name: 'send', attemptsMade: 2, attempts: 3 }))).rejects.toThrow('still down');
    expect(await count({ result: 'failure' })).toBe(2);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'job failed'],
      ['error', 'job failed'],
    ]);
  });

  it('labels job names it does not know "unknown"', async () => {
    const { processor, lines, count } = harness(async () => {
      throw new UnrecoverableError('unknown job');
    });
    await expect(processor(job({ name: 'drop-tables-2031' }))).rejects.toThrow();
    expect(await count({ name: 'unknown', result: 'failure' })).toBe(1);
    expect(lines[0]).toMatchObject({ jobName: 'unknown' });
  });
});
