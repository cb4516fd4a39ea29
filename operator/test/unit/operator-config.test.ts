import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadOperatorConfig } from '@lanyard/config';

const required = { LANYARD_ADMIN_CLIENT_SECRET: 's'.repeat(32) };

describe('loadOperatorConfig', () => {
  it('applies the documented defaults (.env.example)', () => {
    expect(loadOperatorConfig(required)).toMatchObject({
      LANYARD_API_URL: 'http://lanyard-api.lanyard.svc:8000',
      LANYARD_ADMIN_CLIENT_ID: 'lanyard-admin',
      OPERATOR_PORT: 8081,
      RESYNC_SECONDS: 300,
      LEADER_ELECTION_ENABLED: true,
      LEASE_NAMESPACE: 'lanyard',
      LEASE_NAME: 'lanyard-operator',
      LEASE_DURATION_SECONDS: 15,
      DASHBOARDS_NAMESPACE: 'monitoring',
      SECRET_ROTATION_DAYS: 90,
      SECRET_ROTATION_GRACE_SECONDS: 86_400,
    });
    expect(loadOperatorConfig(required).POD_NAME.length).toBeGreaterThan(0);
  });

  it('reads the admin secret from LANYARD_ADMIN_CLIENT_SECRET_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'op-config-')), 'secret');
    writeFileSync(file, `${'f'.repeat(40)}\n`);
    expect(loadOperatorConfig({ LANYARD_ADMIN_CLIENT_SECRET_FILE: file }).LANYARD_ADMIN_CLIENT_SECRET).toBe('f'.repeat(40));
  });

  it('names the variable in one line when a value is wrong', () => {
    expect(() => loadOperatorConfig({})).toThrow(new ConfigError('invalid configuration: LANYARD_ADMIN_CLIENT_SECRET is required'));
    expect(() => loadOperatorConfig({ ...required, LANYARD_API_URL: 'lanyard-api:8000' })).toThrow(/LANYARD_API_URL must be a http:\/\/ or https:\/\/ URL/);
    expect(() => loadOperatorConfig({ ...required, LEASE_DURATION_SECONDS: '1' })).toThrow(/LEASE_DURATION_SECONDS must be at least 2/);
    expect(() => loadOperatorConfig({ ...required, LEADER_ELECTION_ENABLED: 'maybe' })).toThrow(/LEADER_ELECTION_ENABLED must be true or false/);
  });
});
