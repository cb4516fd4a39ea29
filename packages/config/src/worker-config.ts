import * as z from 'zod/mini';
import { int, str, unsetWhenEmpty, url } from './fields.js';
import { coreShape, secretNames, smtpShape } from './core-config.js';
import { loadConfig, loadConfigOrExit } from './load-config.js';

/** The worker's secrets: the core ones plus the dashboard password, all with a `<NAME>_FILE` variant. */
const workerSecretNames = [...secretNames, 'WORKER_DASHBOARD_PASSWORD'] as const;

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
  /** User name for the queue dashboard's HTTP Basic auth; RFC 7617 §2 forbids a colon in it. */
  WORKER_DASHBOARD_USER: unsetWhenEmpty(z._default(z.string().check(z.regex(/^[^:\s]+$/, { error: 'must not contain a colon or whitespace' })), 'admin')),
  /**
   * Turns on HTTP Basic auth for the queue dashboard when set (the dashboard has no auth of its
   * own). Unset means no auth, and the dashboard is then read-only.
   */
  WORKER_DASHBOARD_PASSWORD: unsetWhenEmpty(z.optional(z.string().check(z.minLength(16, { error: 'must be at least 16 characters' })))),
});

export type WorkerConfig = z.output<typeof workerSchema>;

export const loadWorkerConfig = (env?: NodeJS.ProcessEnv): Readonly<WorkerConfig> => loadConfig(workerSchema, workerSecretNames, env);
export const loadWorkerConfigOrExit = (): Readonly<WorkerConfig> => loadConfigOrExit(workerSchema, workerSecretNames);
