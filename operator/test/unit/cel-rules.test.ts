import { describe, expect, it } from 'vitest';
import { celRules, identityTenantCrd, type JSONSchemaProps, type ValidationRule } from '@lanyard/crd';

/** Where each rule is attached, with the schema node `self` is. */
function attachments(schema: JSONSchemaProps, path = ''): Array<{ path: string; node: JSONSchemaProps; rule: ValidationRule }> {
  const own = (schema['x-kubernetes-validations'] ?? []).map((rule) => ({ path, node: schema, rule }));
  const children = Object.entries(schema.properties ?? {}).flatMap(([name, child]) => attachments(child, `${path}.${name}`));
  return [...own, ...children, ...(schema.items === undefined ? [] : attachments(schema.items, `${path}[]`))];
}

const root = identityTenantCrd.spec.versions[0]!.schema.openAPIV3Schema;
const all = attachments(root);

/**
 * What each rule is meant to enforce, and where. The API server's own verdicts are asserted in
 * test/integration/crd-validation.test.ts; this checks the rules are attached where their
 * references resolve and mean what the identity service enforces (validate-client-spec.ts).
 */
describe('CEL rules', () => {
  it('reference only fields that exist on the node they are attached to', () => {
    for (const { node, rule, path } of all) {
      const fields = [...rule.rule.matchAll(/\b(?:self|oldSelf|[cdg])\.([a-zA-Z]+)\b(?!\()/g)].map((m) => m[1]!);
      for (const field of fields) {
        if (['metadata', 'spec'].includes(field)) continue;
        const known = Object.keys(node.properties ?? {}).concat(Object.keys(node.items?.properties ?? {}), Object.keys(root.properties?.spec?.properties?.clients?.items?.properties ?? {}));
        expect(known, `${path}: ${rule.rule} uses ${field}`).toContain(field);
      }
    }
  });

  it('check clients where a client is self, redirect URIs per URI, the tenant at the root', () => {
    const at = (r: ValidationRule) => all.filter((a) => a.rule === r).map((a) => a.path);
    expect(at(celRules.clientCredentialsNeedsConfidential)).toEqual(['.spec.clients[]']);
    expect(at(celRules.redirectUriHttpsOrLoopback)).toEqual(['.spec.clients[].redirectUris[]', '.spec.clients[].postLogoutRedirectUris[]']);
    expect(at(celRules.issuerHttpsOrLoopback)).toEqual(['.spec.identityProviders[].issuer']);
    expect(at(celRules.tenantNameIsDnsLabel)).toEqual(['']);
    expect(at(celRules.uniqueClientIds)).toEqual(['']);
  });

  it('mirror the identity service: type values, grant names and loopback hosts are the ones it uses', () => {
    const client = root.properties!.spec!.properties!.clients!.items!;
    expect(client.properties!.type!.enum).toEqual(['Public', 'Confidential']);
    expect(client.properties!.grantTypes!.items!.enum).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    for (const host of ['127.0.0.1', '::1', 'localhost']) expect(celRules.redirectUriHttpsOrLoopback.rule).toContain(`'${host}'`);
    for (const grant of ['client_credentials', 'authorization_code', 'refresh_token']) {
      expect(Object.values(celRules).some((r) => r.rule.includes(`'${grant}'`)), grant).toBe(true);
    }
  });

  it('are transition rules (oldSelf) only for immutability, each with a message', () => {
    for (const { rule } of all) {
      expect(rule.message.length).toBeGreaterThan(10);
      if (rule.rule.includes('oldSelf')) expect(rule.message).toContain('immutable');
    }
  });
});
