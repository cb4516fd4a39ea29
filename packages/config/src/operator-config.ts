import { hostname } from 'node:os';
import * as z from 'zod/mini';
import { bool, dnsLabel, int, oneOf, secret, str, url } from './fields.js';
import { secretNames } from './core-config.js';
import { loadConfig, loadConfigOrExit } from './load-config.js';

const operatorSchema = z.pipe(
  z.object({
    NODE_ENV: oneOf(['development', 'production', 'test'] as const, 'production'),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    SHUTDOWN_GRACE_SECONDS: int(10, 0, 300),
    /** Base URL of the identity service; the operator only ever talks to `/admin/v1` and the system tenant's token endpoint. */
    LANYARD_API_URL: url(['http', 'https'], 'http://lanyard-api.lanyard.svc:8000'),
    /** A `system`-tenant client allowed `client_credentials` with scope `lanyard:admin`. */
    LANYARD_ADMIN_CLIENT_ID: str('lanyard-admin'),
    LANYARD_ADMIN_CLIENT_SECRET: secret(32),
    /** Per-request timeout towards the identity service; a timeout counts as an outage. */
    LANYARD_API_TIMEOUT_SECONDS: int(10, 1, 120),
    OPERATOR_HOST: str('0.0.0.0'),
    /** `/metrics`, `/healthz`, `/readyz` (docs/reference/ports.md). */
    OPERATOR_PORT: int(8081, 1, 65535),
    /** Every IdentityTenant is reconciled at least this often, which is what finds drift in the identity service. */
    RESYNC_SECONDS: int(300, 5, 86_400),
    /** Tenants reconciled in parallel (one tenant is never reconciled twice at once). */
    RECONCILE_WORKERS: int(4, 1, 64),
    /** First retry delay after a failed reconcile; doubles per failure up to BACKOFF_MAX_SECONDS, with jitter. */
    BACKOFF_BASE_MILLISECONDS: int(500, 10, 60_000),
    BACKOFF_MAX_SECONDS: int(300, 1, 3600),
    LEADER_ELECTION_ENABLED: bool(true),
    /** Namespace of the coordination.k8s.io Lease (the operator's own namespace). */
    LEASE_NAMESPACE: dnsLabel('lanyard'),
    LEASE_NAME: str('lanyard-operator'),
    /** How long a leader's claim is valid without renewal (client-go default: 15 s). */
    LEASE_DURATION_SECONDS: int(15, 2, 300),
    /** This instance's identity in the Lease; in Kubernetes, the pod name (downward API). */
    POD_NAME: str(hostname()),
    /** Where dashboard ConfigMaps go when an IdentityTenant does not say. */
    DASHBOARDS_NAMESPACE: dnsLabel('monitoring'),
    /** Rotate client secrets this many days after they were registered (0 = only on request). */
    SECRET_ROTATION_DAYS: int(90, 0, 3650),
    /** How long the previous secret keeps working after a rotation, so consumers can pick up the new one. */
    SECRET_ROTATION_GRACE_SECONDS: int(86_400, 0, 30 * 86_400),
  }),
  z.transform((env) => ({ ...env, isProduction: env.NODE_ENV === 'production' })),
);

export type OperatorConfig = z.output<typeof operatorSchema>;

/** Parses the operator's environment (tests pass a plain object). */
export const loadOperatorConfig = (env?: NodeJS.ProcessEnv): Readonly<OperatorConfig> => loadConfig(operatorSchema, secretNames, env);
/** {@link loadOperatorConfig} for the entry point: one line on stderr and exit 1 on a bad value. */
export const loadOperatorConfigOrExit = (): Readonly<OperatorConfig> => loadConfigOrExit(operatorSchema, secretNames);
