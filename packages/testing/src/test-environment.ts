import { randomBytes } from 'node:crypto';

/**
 * Where the real services for tests live. `.ci/run` and `scripts/provision-services.sh` start them;
 * override with TEST_DATABASE_URL / TEST_REDIS_URL to point elsewhere.
 */
export const testEnvironment = {
  /** A role allowed to CREATE DATABASE; the database in the URL is only used for maintenance. */
  databaseAdminUrl: process.env.TEST_DATABASE_URL ?? 'postgres://lanyard:lanyard@127.0.0.1:5432/postgres',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  /** Each run's template database is `<prefix>_<random>` (see global-setup). */
  templatePrefix: 'lanyard_test_template',
};

/** URL of `database` on the test server. */
export function databaseUrl(database: string): string {
  const url = new URL(testEnvironment.databaseAdminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh Redis key prefix, so parallel test files never see each other's keys. */
export function uniqueRedisPrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

/** Stable secrets for tests (never used outside tests). */
export const testSecrets = {
  keyEncryptionKey: Buffer.alloc(32, 7).toString('base64'),
  bootstrapClientId: 'lanyard-admin',
  bootstrapClientSecret: 'test-bootstrap-secret-0123456789abcdef',
};
