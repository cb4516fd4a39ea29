import { describe, expect, it } from 'vitest';
import { ConfigError, loadApiConfig, loadWorkerConfig } from '../../src/index.js';

const required = {
  KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  BOOTSTRAP_ADMIN_CLIENT_SECRET: 'x'.repeat(32),
};

describe('loadApiConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadApiConfig(required);
    expect(config).toMatchObject({
      NODE_ENV: 'production',
      PORT: 8000,
      METRICS_PORT: 9464,
      METRICS_TENANT_HISTOGRAMS: true,
      PUBLIC_URL: 'http://localhost:8000',
      DATABASE_POOL_MAX: 10,
      AUTHORIZATION_CODE_TTL_SECONDS: 60,
      ARGON2_MEMORY_KIB: 19_456,
      ARGON2_TIME_COST: 2,
      ARGON2_PARALLELISM: 1,
      SEED_DEMO: false,
      isProduction: true,
    });
    expect(config.KEY_ENCRYPTION_KEY).toHaveLength(32);
  });

  it('is frozen', () => {
    const config = loadApiConfig(required);
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it('turns per-tenant histograms off with METRICS_TENANT_HISTOGRAMS=false', () => {
    expect(loadApiConfig({ ...required, METRICS_TENANT_HISTOGRAMS: 'false' }).METRICS_TENANT_HISTOGRAMS).toBe(false);
    expect(loadApiConfig({ ...required, METRICS_TENANT_HISTOGRAMS: '' }).METRICS_TENANT_HISTOGRAMS).toBe(true);
  });

  it('drops a trailing slash from URLs so paths join cleanly', () => {
    expect(loadApiConfig({ ...required, PUBLIC_URL: 'https://id.example.com/' }).PUBLIC_URL).toBe('https://id.example.com');
  });

  it.each([
    [{ PUBLIC_URL: 'ftp://x' }, 'invalid configuration: PUBLIC_URL must be a http:// or https:// URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'invalid configuration: REDIS_URL must be a redis:// or rediss:// URL'],
    [{ DATABASE_POOL_MAX: '0' }, 'invalid configuration: DATABASE_POOL_MAX must be at least 2'],
    [{ ARGON2_MEMORY_KIB: '4096' }, 'invalid configuration: ARGON2_MEMORY_KIB must be at least 19456'],
    [{ SEED_DEMO: 'maybe' }, 'invalid configuration: SEED_DEMO must be true or false'],
    [{ NODE_ENV: 'staging' }, 'invalid configuration: NODE_ENV must be one of development, production, test'],
    [{ BOOTSTRAP_ADMIN_CLIENT_SECRET: 'short' }, 'invalid configuration: BOOTSTRAP_ADMIN_CLIENT_SECRET must be at least 32 characters'],
    [{ KEY_ENCRYPTION_KEY: undefined }, 'invalid configuration: KEY_ENCRYPTION_KEY is required (32 random bytes, base64; e.g. `openssl rand -base64 32`)'],
    [{ BOOTSTRAP_ADMIN_CLIENT_ID: '123e4567-e89b-12d3-a456-426614174000' }, 'invalid configuration: BOOTSTRAP_ADMIN_CLIENT_ID must not have the form of a UUID (those are user subjects)'],
    [{ BOOTSTRAP_ADMIN_CLIENT_ID: 'admin client' }, 'invalid configuration: BOOTSTRAP_ADMIN_CLIENT_ID must be 1-128 characters of A-Z a-z 0-9 . _ - (starting with a letter or digit)'],
    [{ METRICS_PORT: '70000' }, 'invalid configuration: METRICS_PORT must be at most 65535'],
    [{ METRICS_TENANT_HISTOGRAMS: 'sometimes' }, 'invalid configuration: METRICS_TENANT_HISTOGRAMS must be true or false'],
  ])('rejects %o with one line naming the variable', (override, message) => {
    expect(() => loadApiConfig({ ...required, ...override })).toThrow(new ConfigError(message));
  });

  it('seeds the demo tenant by default in development only', () => {
    expect(loadApiConfig({ ...required, NODE_ENV: 'development' }).SEED_DEMO).toBe(true);
    expect(loadApiConfig({ ...required, NODE_ENV: 'production' }).SEED_DEMO).toBe(false);
    expect(loadApiConfig({ ...required, NODE_ENV: 'development', SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
  });

  it('treats an empty value as unset', () => {
    expect(loadApiConfig({ ...required, PORT: '' }).PORT).toBe(8000);
  });

  it('refuses both NAME and NAME_FILE', () => {
    expect(() => loadApiConfig({ ...required, KEY_ENCRYPTION_KEY_FILE: '/etc/hostname' })).toThrow(
      'KEY_ENCRYPTION_KEY and KEY_ENCRYPTION_KEY_FILE are both set; set only one',
    );
  });
});

describe('loadWorkerConfig', () => {
  it('needs no bootstrap secret and listens on 5555', () => {
    const config = loadWorkerConfig({ KEY_ENCRYPTION_KEY: required.KEY_ENCRYPTION_KEY });
    expect(config.WORKER_PORT).toBe(5555);
  });
});
