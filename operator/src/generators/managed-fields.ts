import type { ManagedFields } from './needs-apply.js';
import { ANNOTATIONS, SECRET_KEYS } from './well-known-names.js';

/** Fields of a client Secret the operator owns. */
export const SECRET_FIELDS: ManagedFields = {
  dataKeys: Object.values(SECRET_KEYS),
  annotationKeys: [ANNOTATIONS.secretSha256, ANNOTATIONS.secretId, ANNOTATIONS.rotationGeneration],
};

/** Fields of a dashboard ConfigMap the operator owns. */
export const dashboardFields = (dataKey: string): ManagedFields => ({ dataKeys: [dataKey], annotationKeys: [ANNOTATIONS.grafanaFolder] });
