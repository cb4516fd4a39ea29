export { testEnvironment, databaseUrl, uniqueRedisPrefix, testSecrets } from './test-environment.js';
export { createTestDatabase, createEmptyDatabase, type TestDatabase } from './test-database.js';
export { startSmtpSink, type SmtpSink } from './smtp-sink.js';
