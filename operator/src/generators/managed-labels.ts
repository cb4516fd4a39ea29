import { LABELS, MANAGER_NAME } from './well-known-names.js';

/** Labels of an owned object: the managed-by selector the informers use, plus what it belongs to. */
export function managedLabels(tenantName: string, component: 'client-secret' | 'dashboard', clientName?: string): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGER_NAME,
    [LABELS.partOf]: 'lanyard',
    [LABELS.component]: component,
    [LABELS.tenant]: tenantName,
    ...(clientName === undefined ? {} : { [LABELS.client]: clientName }),
  };
}
