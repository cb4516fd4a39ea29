export { Registry, collectDefaultMetrics } from 'prom-client';
export { createApiMetrics, type ApiMetrics, type AuthEvent, type AuthResult } from './api-metrics.js';
export { createWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';
export { createOperatorMetrics, type OperatorMetrics } from './operator-metrics.js';
