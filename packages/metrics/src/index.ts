export { Registry, collectDefaultMetrics } from 'prom-client';
export { createApiMetrics, type ApiMetrics, type ApiMetricsOptions, type AuthEvent, type AuthResult, type PoolStats } from './api-metrics.js';
export { initialiseAuthSeries, AUTH_EVENT_REASONS, AUTH_FAILURE_REASONS, EMITTED_AUTH_EVENTS, MFA_FACTORS_USED, RATE_LIMITERS } from './initialise-auth-series.js';
export { createWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';
export { initialiseJobSeries, JOB_RESULTS } from './initialise-job-series.js';
export { createOperatorMetrics, type OperatorMetrics } from './operator-metrics.js';
