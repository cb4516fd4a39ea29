import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Files and tokens a throw-away kube-apiserver needs. */
export interface TestCredentials {
  /** Self-signed serving certificate; also the CA clients trust. */
  readonly servingCert: string;
  readonly servingKey: string;
  /** Service-account token signing key pair (TokenRequest needs it). */
  readonly saKey: string;
  readonly saPub: string;
  /** Static token file: one admin in system:masters. */
  readonly tokenFile: string;
  readonly adminToken: string;
  readonly auditPolicy: string;
}

/**
 * Creates the credentials with openssl (Node has no X.509 generator), as scripts/start-k8s-test-env.sh
 * does. Only the admin is a static token: restricted identities are real ServiceAccounts whose
 * tokens come from the TokenRequest API, so RBAC is exercised exactly as in a cluster.
 */
export async function createTestCredentials(dir: string): Promise<TestCredentials> {
  const c = {
    servingCert: join(dir, 'serving.crt'),
    servingKey: join(dir, 'serving.key'),
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    tokenFile: join(dir, 'tokens.csv'),
    auditPolicy: join(dir, 'audit-policy.yaml'),
    adminToken: randomBytes(24).toString('hex'),
  };
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-keyout', c.servingKey, '-out', c.servingCert,
  ]);
  await run('openssl', ['genrsa', '-out', c.saKey, '2048']);
  await run('openssl', ['rsa', '-in', c.saKey, '-pubout', '-out', c.saPub]);
  await writeFile(c.tokenFile, `${c.adminToken},lanyard-test-admin,uid-admin,"system:masters"\n`, { mode: 0o600 });
  // Writes only (reads would drown the log), one event per request at ResponseComplete.
  await writeFile(
    c.auditPolicy,
    JSON.stringify({
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [{ level: 'None', verbs: ['get', 'list', 'watch'] }, { level: 'Metadata' }],
    }),
  );
  await chmod(c.saKey, 0o600);
  await chmod(c.servingKey, 0o600);
  return c;
}
