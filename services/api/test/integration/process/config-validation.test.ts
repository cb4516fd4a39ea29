import { describe, expect, it } from 'vitest';
import { createTestDatabase, freePort, spawnEntry, testEnvironment, testSecrets, uniqueRedisPrefix } from '@lanyard/testing';

const valid = {
  KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
  BOOTSTRAP_ADMIN_CLIENT_SECRET: testSecrets.bootstrapClientSecret,
  PORT: '1',
};

describe('configuration is validated once at start-up', () => {
  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'nonsense' }, /^invalid configuration: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/],
    ['PORT', { PORT: 'eighty' }, /^invalid configuration: PORT must be an integer$/],
    ['KEY_ENCRYPTION_KEY', { KEY_ENCRYPTION_KEY: 'c2hvcnQ=' }, /^invalid configuration: KEY_ENCRYPTION_KEY must decode to 32 bytes/],
    ['BOOTSTRAP_ADMIN_CLIENT_SECRET', { BOOTSTRAP_ADMIN_CLIENT_SECRET: '' }, /^invalid configuration: BOOTSTRAP_ADMIN_CLIENT_SECRET is required$/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent$/],
    ['AUTHORIZATION_CODE_TTL_SECONDS', { AUTHORIZATION_CODE_TTL_SECONDS: '600' }, /^invalid configuration: AUTHORIZATION_CODE_TTL_SECONDS must be at most 60$/],
    ['KEY_ENCRYPTION_KEY_FILE', { KEY_ENCRYPTION_KEY: '', KEY_ENCRYPTION_KEY_FILE: '/nonexistent/kek' }, /^KEY_ENCRYPTION_KEY_FILE cannot be read \(ENOENT/],
  ])('a bad %s stops the process with exit 1 and one line naming it', async (_name, overrides, message) => {
    const api = spawnEntry('services/api/src/server.ts', { ...valid, ...overrides });
    expect(await api.exited).toBe(1);
    const lines = api.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(api.stdout()).toBe('');
  });

  it('reads secrets from *_FILE variants', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/lanyard-secret-');
    writeFileSync(`${dir}/kek`, `${testSecrets.keyEncryptionKey}\n`);
    // A valid KEK from the file gets past it, so the next invalid variable is the one reported.
    const api = spawnEntry('services/api/src/server.ts', { ...valid, KEY_ENCRYPTION_KEY: '', KEY_ENCRYPTION_KEY_FILE: `${dir}/kek`, PORT: 'x' });
    expect(await api.exited).toBe(1);
    expect(api.stderr().trim()).toBe('invalid configuration: PORT must be an integer');
  });

  it('refuses to start when KEY_ENCRYPTION_KEY cannot decrypt the stored signing keys', async () => {
    const database = await createTestDatabase();
    const env = { ...valid, DATABASE_URL: database.url, REDIS_URL: testEnvironment.redisUrl, REDIS_KEY_PREFIX: uniqueRedisPrefix(), HOST: '127.0.0.1' };
    try {
      const port = String(await freePort());
      const first = spawnEntry('services/api/src/server.ts', { ...env, PORT: port, METRICS_PORT: String(await freePort()) });
      await first.waitFor('Server listening');
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      const changed = spawnEntry('services/api/src/server.ts', { ...env, PORT: port, KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') });
      expect(await changed.exited).toBe(1);
      expect(changed.stderr().trim()).toBe(
        'invalid configuration: KEY_ENCRYPTION_KEY cannot decrypt the stored signing keys; it differs from the key they were encrypted with',
      );
    } finally {
      await database.drop();
    }
  });
});
