import { z } from 'zod';
import { int, str, url } from './fields.js';
import { coreShape, secretNames, smtpShape } from './core-config.js';
import { loadConfig, loadConfigOrExit } from './load-config.js';

const workerSchema = z.object({
  ...coreShape,
  ...smtpShape,
  WORKER_HOST: str('0.0.0.0'),
  WORKER_PORT: int(5555, 1, 65535),
  PUBLIC_URL: url(['http', 'https'], 'http://localhost:8000'),
  WORKER_CONCURRENCY: int(8, 1, 256),
  /** How often expired codes, tokens and sessions are purged. */
  CLEANUP_INTERVAL_SECONDS: int(300, 10, 86_400),
  /** How often every tenant's signing keys are checked for rotation. */
  KEY_ROTATION_CHECK_SECONDS: int(3600, 10, 86_400),
  SIGNING_KEY_ROTATION_DAYS: int(30, 1, 365),
  SIGNING_KEY_PUBLISH_AHEAD_SECONDS: int(3600, 0, 7 * 86_400),
  ACCESS_TOKEN_TTL_SECONDS: int(300, 30, 86_400),
  ID_TOKEN_TTL_SECONDS: int(300, 30, 86_400),
});

export type WorkerConfig = z.output<typeof workerSchema>;

export const loadWorkerConfig = (env?: NodeJS.ProcessEnv): Readonly<WorkerConfig> => loadConfig(workerSchema, secretNames, env);
export const loadWorkerConfigOrExit = (): Readonly<WorkerConfig> => loadConfigOrExit(workerSchema, secretNames);
