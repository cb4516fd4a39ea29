import type * as z from 'zod/mini';
import { clientId, int, oneOf, secret, str, url, key256 } from './fields.js';

/** Variables every service reads; see `.env.example` for the defaults in one place. */
export const coreShape = {
  NODE_ENV: oneOf(['development', 'production', 'test'] as const, 'production'),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  DATABASE_URL: url(['postgres', 'postgresql'], 'postgres://lanyard:lanyard@127.0.0.1:5432/lanyard'),
  DATABASE_POOL_MAX: int(10, 2, 200),
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  /** Namespaces every Redis key, so several environments can share one Redis. */
  REDIS_KEY_PREFIX: str('lanyard:'),
  /** Derives at-rest encryption of signing keys and the pepper of client-secret hashes. */
  KEY_ENCRYPTION_KEY: key256(),
  SHUTDOWN_GRACE_SECONDS: int(10, 0, 300),
};

export const secretNames = ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'KEY_ENCRYPTION_KEY', 'BOOTSTRAP_ADMIN_CLIENT_SECRET', 'LANYARD_ADMIN_CLIENT_SECRET'] as const;

export const smtpShape = {
  SMTP_URL: url(['smtp', 'smtps'], 'smtp://127.0.0.1:1025'),
  SMTP_FROM: str('Lanyard <no-reply@lanyard.local>'),
};

export const bootstrapShape = {
  BOOTSTRAP_ADMIN_CLIENT_ID: clientId('lanyard-admin'),
  BOOTSTRAP_ADMIN_CLIENT_SECRET: secret(32),
};

export type CoreConfig = z.output<z.ZodMiniObject<typeof coreShape>>;
