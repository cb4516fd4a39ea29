import { type ObjectSpec, v } from '../helm/values-spec.js';
import { SECRET_KEYS } from './api-values.js';
import { workloadValues } from './common-values.js';

export const workerValues: ObjectSpec = v.object('lanyard-worker', {
  enabled: v.bool(true, 'Switch used by the lanyard umbrella chart; ignored when this chart is installed on its own.'),
  ...workloadValues({
    replicas: 1,
    requests: { cpu: '100m', memory: '192Mi' },
    limits: { cpu: '1', memory: '384Mi' },
    config: { NODE_ENV: 'production', LOG_LEVEL: 'info', DATABASE_POOL_MAX: '5', WORKER_CONCURRENCY: '8' },
    // WORKER_DASHBOARD_PASSWORD turns on Basic auth for the queue dashboard when mapped here.
    secretCapable: ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'KEY_ENCRYPTION_KEY', 'WORKER_DASHBOARD_PASSWORD'],
    requiredSecrets: ['DATABASE_URL', 'REDIS_URL', 'KEY_ENCRYPTION_KEY'],
    secretFiles: { DATABASE_URL: SECRET_KEYS.DATABASE_URL, REDIS_URL: SECRET_KEYS.REDIS_URL, SMTP_URL: SECRET_KEYS.SMTP_URL, KEY_ENCRYPTION_KEY: SECRET_KEYS.KEY_ENCRYPTION_KEY },
    fixed: ['WORKER_HOST', 'WORKER_PORT'],
    dashboard: 'Lanyard / Worker',
  }),
});
