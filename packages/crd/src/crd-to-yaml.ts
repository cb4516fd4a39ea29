import { stringify } from 'yaml';
import { identityTenantCrd } from './identity-tenant-crd.js';

/**
 * The CRD as a YAML document with a generated-file header, byte-for-byte what
 * `operator/deploy/crd.yaml` must contain (a test compares them).
 */
export function identityTenantCrdYaml(): string {
  const header = '# Generated from packages/crd by `npm run -w @lanyard/operator gen:crd`; do not edit.\n';
  // lineWidth 0: never fold long CEL rules, so diffs stay readable.
  return header + stringify(identityTenantCrd, { lineWidth: 0 });
}
