import { type ObjectSpec, v } from '../helm/values-spec.js';
import { SECRET_KEYS } from './api-values.js';
import { workloadValues } from './common-values.js';

export const operatorValues: ObjectSpec = v.object('lanyard-operator', {
  enabled: v.bool(true, 'Switch used by the lanyard umbrella chart; ignored when this chart is installed on its own.'),
  ...workloadValues({
    // One leader at a time (Lease); a second replica only shortens fail-over.
    replicas: 1,
    requests: { cpu: '50m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
    // LANYARD_API_URL defaults to the lanyard-api Service in the release namespace (see _helpers.tpl).
    config: { NODE_ENV: 'production', LOG_LEVEL: 'info', LANYARD_ADMIN_CLIENT_ID: 'lanyard-admin', DASHBOARDS_NAMESPACE: 'monitoring' },
    // The operator authenticates as the API's bootstrap admin client unless you give it its own.
    secretCapable: ['LANYARD_ADMIN_CLIENT_SECRET'],
    requiredSecrets: ['LANYARD_ADMIN_CLIENT_SECRET'],
    secretFiles: { LANYARD_ADMIN_CLIENT_SECRET: SECRET_KEYS.BOOTSTRAP_ADMIN_CLIENT_SECRET },
    fixed: ['OPERATOR_HOST', 'OPERATOR_PORT', 'POD_NAME', 'LEASE_NAMESPACE', 'LEASE_NAME'],
    dashboard: 'Lanyard / Operator',
  }),
});
