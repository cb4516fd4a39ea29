import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { celRules, identityTenantCrd, identityTenantCrdYaml, type JSONSchemaProps, type ValidationRule } from '../../src/index.js';

const version = identityTenantCrd.spec.versions[0]!;
const root = version.schema.openAPIV3Schema;

/** Every schema node with its path, depth first. */
function* walk(schema: JSONSchemaProps, path: string): Generator<[string, JSONSchemaProps]> {
  yield [path, schema];
  for (const [name, child] of Object.entries(schema.properties ?? {})) yield* walk(child, `${path}.${name}`);
  if (schema.items !== undefined) yield* walk(schema.items, `${path}[]`);
}

describe('identityTenantCrd', () => {
  it('is the cluster-scoped lanyard.dev/v1alpha1 IdentityTenant with short name idt and a status subresource', () => {
    expect(identityTenantCrd.metadata.name).toBe('identitytenants.lanyard.dev');
    expect(identityTenantCrd.spec).toMatchObject({ group: 'lanyard.dev', scope: 'Cluster', names: { kind: 'IdentityTenant', plural: 'identitytenants', shortNames: ['idt'] } });
    expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
  });

  it('is structural: every node has a type, apart from the metadata stub', () => {
    for (const [path, node] of walk(root, '')) expect(node.type, path).toBeDefined();
  });

  it('bounds every list and every free-form string, so CEL cost estimates stay finite', () => {
    for (const [path, node] of walk(root, '')) {
      if (node.type === 'array') expect(node.maxItems, path).toBeGreaterThan(0);
      if (node.type === 'string' && node.enum === undefined && node.format === undefined && !['.apiVersion', '.kind'].includes(path)) {
        expect(node.maxLength, path).toBeGreaterThan(0);
      }
    }
  });

  it('describes every spec field for kubectl explain', () => {
    for (const [path, node] of walk(root.properties!.spec!, '.spec')) {
      if (!path.endsWith('[]') && !/\.(redirectUris|postLogoutRedirectUris)\[\]$/.test(path)) expect(node.description, path).toBeTruthy();
    }
  });

  it('shows Namespace, Clients, Ready, Reason and Age columns', () => {
    expect(version.additionalPrinterColumns?.map((c) => c.name)).toEqual(['Namespace', 'Clients', 'Ready', 'Reason', 'Age']);
  });

  it('uses every CEL rule exactly once in the schema, and transition rules only on immutable fields', () => {
    const used = [...walk(root, '')].flatMap(([path, node]) => (node['x-kubernetes-validations'] ?? []).map((rule) => ({ path, rule })));
    const ruleSet = new Set<ValidationRule>(Object.values(celRules));
    for (const { rule } of used) expect(ruleSet.has(rule)).toBe(true);
    for (const rule of ruleSet) expect(used.filter((u) => u.rule === rule).length, rule.message).toBeGreaterThanOrEqual(1);
    const transitions = used.filter((u) => u.rule.rule.includes('oldSelf')).map((u) => u.path);
    expect(transitions).toEqual(['.spec.namespace', '.spec.clients[]', '.spec.clients[]']);
  });

  it('keys clients by name, so transition rules correlate old and new entries', () => {
    const clients = root.properties!.spec!.properties!.clients!;
    expect(clients['x-kubernetes-list-type']).toBe('map');
    expect(clients['x-kubernetes-list-map-keys']).toEqual(['name']);
  });

  it('gives spec.accounts no schema defaults, so an absent field keeps the identity service\'s default', () => {
    const accounts = root.properties!.spec!.properties!.accounts!;
    expect(Object.keys(accounts.properties!)).toEqual(['signup', 'requireVerifiedEmail', 'passwordMinLength', 'emailFromName', 'emailFromAddress']);
    for (const [path, node] of walk(accounts, '.spec.accounts')) expect(node.default, path).toBeUndefined();
    expect(accounts.properties!.signup!.enum).toEqual(['Open', 'InviteOnly', 'Closed']);
  });

  it('gives spec.mfa and clients[].requireMfa no schema defaults, so an absent field keeps the identity service\'s default', () => {
    const mfa = root.properties!.spec!.properties!.mfa!;
    expect(Object.keys(mfa.properties!)).toEqual(['policy', 'enrolmentGraceDays']);
    for (const [path, node] of walk(mfa, '.spec.mfa')) expect(node.default, path).toBeUndefined();
    expect(mfa.properties!.policy!.enum).toEqual(['Optional', 'Required']);
    expect(mfa.properties!.enrolmentGraceDays).toMatchObject({ type: 'integer', minimum: 0, maximum: 90 });
    const requireMfa = root.properties!.spec!.properties!.clients!.items!.properties!.requireMfa!;
    expect(requireMfa).toMatchObject({ type: 'boolean' });
    expect(requireMfa.default).toBeUndefined();
  });

  it('keys identity providers by name (at most 20), requires a Secret reference and a CamelCase link, with no inline secret', () => {
    const providers = root.properties!.spec!.properties!.identityProviders!;
    expect(providers).toMatchObject({ type: 'array', maxItems: 20, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] });
    const item = providers.items!;
    expect(item.required).toEqual(['name', 'issuer', 'clientId', 'clientSecretRef', 'link']);
    expect(item.properties!.clientSecretRef!.required).toEqual(['name', 'key']);
    expect(item.properties!.link!.enum).toEqual(['JustInTime', 'VerifiedEmail', 'ExistingOnly']);
    expect(Object.keys(item.properties!)).not.toContain('clientSecret');
    expect(Object.keys(item.properties!.claims!.properties!)).toEqual(['subject', 'email', 'emailVerified', 'name']);
    expect(item.properties!.issuer!['x-kubernetes-validations']).toEqual([celRules.issuerHttpsOrLoopback]);
  });

  it('serialises to YAML that parses back to the same object', () => {
    const text = identityTenantCrdYaml();
    expect(text.startsWith('# Generated')).toBe(true);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(identityTenantCrd)));
  });
});
