import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuditEvents, type AuditEvent } from './audit-events.js';
import { findKubeBinaries } from './kube-binaries.js';
import { kubeconfigDocument } from './kubeconfig-document.js';
import { kubeRequest, type KubeRequestOptions, type KubeResponse } from './kube-request.js';
import { reservePorts } from './reserve-ports.js';
import { createTestCredentials } from './test-credentials.js';

/** A real etcd + kube-apiserver pair on loopback (no kubelet, scheduler or controller-manager). */
export interface KubeTestCluster {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly caPem: string;
  /** A kubeconfig document (JSON, valid YAML) for a `system:masters` admin. */
  readonly adminKubeconfig: string;
  /** Temporary directory with logs, certificates, etcd data and the audit log; removed by {@link stop}. */
  readonly dir: string;
  /** A raw request as the admin (tables, discovery, fault injection). */
  request(method: string, path: string, options?: KubeRequestOptions): Promise<KubeResponse>;
  /**
   * Creates the namespace and ServiceAccount if needed and returns a kubeconfig with a token minted
   * by the TokenRequest API: a restricted identity whose permissions are exactly the RBAC bound to it.
   */
  serviceAccountKubeconfig(namespace: string, name: string): Promise<string>;
  /** Every write (create/update/patch/delete) audited so far, oldest first. */
  auditEvents(): Promise<AuditEvent[]>;
  /**
   * Stops kube-apiserver (SIGTERM, as a control-plane upgrade does), keeps it down `downMs`, starts
   * it again on the same port and storage, and waits for `/readyz`. Watches see their connections
   * end; etcd and everything stored stay.
   */
  restartApiServer(downMs?: number): Promise<void>;
  /** Stops kube-apiserver, then etcd, and removes {@link dir}. */
  stop(): Promise<void>;
}

/** Options of {@link startKubeTestCluster}. */
export interface KubeTestClusterOptions {
  /** How long to wait for `/readyz`. @default 90_000 */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts etcd and kube-apiserver from `~/.cache/lanyard/k8s-bin` on free ports in a fresh temp directory (one
 * per test file), waits for `/readyz` and returns admin access. Flags follow
 * scripts/start-k8s-test-env.sh; the audit log is added so tests can count writes server-side.
 */
export async function startKubeTestCluster(options: KubeTestClusterOptions = {}): Promise<KubeTestCluster> {
  const binaries = findKubeBinaries();
  const dir = await mkdtemp(join(tmpdir(), 'lanyard-kube-'));
  const children: ChildProcess[] = [];
  const killAll = () => children.forEach((child) => signalGroup(child, 'SIGKILL'));
  // A crashed test run must not leave an apiserver behind.
  process.once('exit', killAll);
  try {
    const credentials = await createTestCredentials(dir);
    const [etcdPort, etcdPeerPort, apiPort] = (await reservePorts(3)) as [number, number, number];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const server = `https://127.0.0.1:${apiPort}`;
    const auditLog = join(dir, 'audit.log');

    children.push(
      launch(binaries.etcd, join(dir, 'etcd.log'), [
        '--name=test',
        `--data-dir=${join(dir, 'etcd-data')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-cluster=test=http://127.0.0.1:${etcdPeerPort}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ]),
    );
    const apiServerArgs = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${credentials.servingCert}`,
      `--tls-private-key-file=${credentials.servingKey}`,
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${credentials.saPub}`,
      `--service-account-signing-key-file=${credentials.saKey}`,
      `--token-auth-file=${credentials.tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.96.0.0/16',
      // No controller-manager runs, so nothing would create default ServiceAccount tokens.
      '--disable-admission-plugins=ServiceAccount',
      // Off by default, on in hardened clusters: setting blockOwnerDeletion then needs RBAC on the
      // owner's finalizers subresource, so tests prove an operator's RBAC covers it.
      '--enable-admission-plugins=OwnerReferencesPermissionEnforcement',
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      `--audit-policy-file=${credentials.auditPolicy}`,
      `--audit-log-path=${auditLog}`,
      '--audit-log-format=json',
      '--audit-log-mode=blocking',
    ];
    children.push(launch(binaries.kubeApiServer, join(dir, 'kube-apiserver.log'), apiServerArgs));

    const caPem = await readFile(credentials.servingCert, 'utf8');
    const admin = (method: string, path: string, requestOptions?: KubeRequestOptions) =>
      kubeRequest(server, caPem, credentials.adminToken, method, path, requestOptions);
    await waitForReady(admin, children, dir, options.readyTimeoutMs ?? 90_000);

    let stopped = false;
    return {
      server,
      caPem,
      dir,
      adminKubeconfig: kubeconfigDocument(server, caPem, 'lanyard-test-admin', credentials.adminToken),
      request: admin,
      async serviceAccountKubeconfig(namespace, name) {
        await createIfMissing(admin, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
        await createIfMissing(admin, `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
        const response = await admin('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
        });
        if (response.status !== 201) throw new Error(`TokenRequest for ${namespace}/${name} failed: ${response.status} ${response.text}`);
        const token = response.json<{ status: { token: string } }>().status.token;
        return kubeconfigDocument(server, caPem, `system:serviceaccount:${namespace}:${name}`, token);
      },
      auditEvents: () => readAuditEvents(auditLog),
      async restartApiServer(downMs = 0) {
        const index = children.length - 1;
        await terminate(children[index]!);
        await new Promise((resolve) => setTimeout(resolve, downMs));
        children[index] = launch(binaries.kubeApiServer, join(dir, 'kube-apiserver.log'), apiServerArgs);
        await waitForReady(admin, children, dir, options.readyTimeoutMs ?? 90_000);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        // kube-apiserver first, so it never logs a storm of etcd connection errors.
        for (const child of [...children].reverse()) await terminate(child);
        process.removeListener('exit', killAll);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    killAll();
    process.removeListener('exit', killAll);
    throw error;
  }
}

/**
 * Starts a binary under a small shell watchdog that stops it when this process goes away: a test
 * worker killed by a signal never runs 'exit' handlers, and an orphaned etcd or kube-apiserver would
 * outlive the run. SIGTERM to the watchdog is forwarded and awaited.
 */
const WATCHDOG = [
  '"$0" "$@" & child=$!',
  'trap \'kill -TERM $child 2>/dev/null; wait $child; exit 0\' TERM INT',
  'while kill -0 "$LANYARD_TEST_PARENT" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1 & wait $!; done',
  'kill -TERM $child 2>/dev/null; wait $child',
].join('\n');

function launch(binary: string, logFile: string, args: string[]): ChildProcess {
  // Appended: a restarted server keeps its predecessor's log.
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn('/bin/sh', ['-c', WATCHDOG, binary, ...args], {
    // Its own process group, so watchdog and binary can be signalled together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANYARD_TEST_PARENT: String(process.pid) },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function waitForReady(
  admin: (method: string, path: string) => Promise<KubeResponse>,
  children: readonly ChildProcess[],
  dir: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exited = children.find((child) => child.exitCode !== null);
    if (exited !== undefined) {
      const logs = await Promise.all(['etcd.log', 'kube-apiserver.log'].map((f) => readFile(join(dir, f), 'utf8').catch(() => '')));
      throw new Error(`${exited.spawnargs[3]} exited with ${exited.exitCode} before /readyz:\n${logs.map((l) => l.split('\n').slice(-15).join('\n')).join('\n')}`);
    }
    try {
      if ((await admin('GET', '/readyz')).status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`kube-apiserver was not ready after ${timeoutMs} ms; logs in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function createIfMissing(admin: (method: string, path: string, options?: KubeRequestOptions) => Promise<KubeResponse>, path: string, body: unknown) {
  const response = await admin('POST', path, { body });
  if (response.status !== 201 && response.status !== 409) throw new Error(`POST ${path} failed: ${response.status} ${response.text}`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The watchdog forwards SIGTERM to the binary and waits for it; SIGKILL the group if it hangs.
  child.kill('SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
