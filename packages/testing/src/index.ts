export { testEnvironment, databaseUrl, uniqueRedisPrefix, testSecrets } from './test-environment.js';
export { createTestDatabase, createEmptyDatabase, type TestDatabase } from './test-database.js';
export { startSmtpSink, type SmtpSink } from './smtp-sink.js';
export { startKubeTestCluster, findKubeBinaries, kubeconfigDocument, kubeRequest, type KubeTestCluster, type KubeTestClusterOptions, type KubeBinaries, type KubeRequestOptions, type KubeResponse, type AuditEvent } from './kube/index.js';
export { freePort } from './free-port.js';
export { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
export { captureLogs, type LogCapture } from './log-capture.js';
export { spawnEntry, type SpawnedProcess } from './spawn-entry.js';
export { testClock, type TestClock, type TestClockOptions } from './test-clock.js';
