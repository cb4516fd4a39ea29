import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_USER, startOperatorTestEnv, type OperatorTestEnv } from '../support/operator-test-env.js';

let env: OperatorTestEnv;

beforeAll(async () => {
  env = await startOperatorTestEnv(() => 'http://127.0.0.1:9');
});
afterAll(async () => env?.close());

/** SubjectAccessReview for the operator's ServiceAccount, answered by the real RBAC authorizer. */
async function allowed(verb: string, resource: string, options: { group?: string; namespace?: string; subresource?: string } = {}): Promise<boolean> {
  const response = await env.cluster.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: OPERATOR_USER,
        groups: ['system:serviceaccounts', 'system:serviceaccounts:lanyard', 'system:authenticated'],
        resourceAttributes: { verb, resource, group: options.group ?? '', namespace: options.namespace ?? '', subresource: options.subresource ?? '' },
      },
    },
  });
  return response.json<{ status: { allowed: boolean } }>().status.allowed;
}

describe('deploy/rbac.yaml is least privilege', () => {
  // That it is *enough* is proven by every other integration test: they all run the operator as
  // this ServiceAccount, with OwnerReferencesPermissionEnforcement on.
  it('grants what the operator uses', async () => {
    for (const verb of ['get', 'list', 'watch', 'patch']) expect(await allowed(verb, 'identitytenants', { group: 'lanyard.dev' }), verb).toBe(true);
    expect(await allowed('patch', 'identitytenants', { group: 'lanyard.dev', subresource: 'status' })).toBe(true);
    expect(await allowed('update', 'identitytenants', { group: 'lanyard.dev', subresource: 'finalizers' })).toBe(true);
    for (const verb of ['get', 'list', 'watch', 'create', 'patch', 'delete']) {
      expect(await allowed(verb, 'secrets', { namespace: 'any' }), `secrets ${verb}`).toBe(true);
      expect(await allowed(verb, 'configmaps', { namespace: 'any' }), `configmaps ${verb}`).toBe(true);
    }
    expect(await allowed('create', 'events', { namespace: 'default' })).toBe(true);
    for (const verb of ['get', 'create', 'update']) expect(await allowed(verb, 'leases', { group: 'coordination.k8s.io', namespace: 'lanyard' }), verb).toBe(true);
  });

  it('denies everything else', async () => {
    for (const verb of ['create', 'update', 'delete', 'deletecollection']) expect(await allowed(verb, 'identitytenants', { group: 'lanyard.dev' }), verb).toBe(false);
    expect(await allowed('update', 'identitytenants', { group: 'lanyard.dev', subresource: 'status' })).toBe(false);
    for (const verb of ['update', 'deletecollection']) expect(await allowed(verb, 'secrets', { namespace: 'any' }), verb).toBe(false);
    expect(await allowed('patch', 'events', { namespace: 'default' })).toBe(false);
    expect(await allowed('delete', 'events', { namespace: 'default' })).toBe(false);
    expect(await allowed('get', 'leases', { group: 'coordination.k8s.io', namespace: 'default' })).toBe(false);
    expect(await allowed('delete', 'leases', { group: 'coordination.k8s.io', namespace: 'lanyard' })).toBe(false);
    expect(await allowed('patch', 'leases', { group: 'coordination.k8s.io', namespace: 'lanyard' })).toBe(false);
    expect(await allowed('list', 'pods', { namespace: 'any' })).toBe(false);
    expect(await allowed('get', 'namespaces')).toBe(false);
    expect(await allowed('create', 'serviceaccounts', { namespace: 'lanyard', subresource: 'token' })).toBe(false);
    expect(await allowed('update', 'customresourcedefinitions', { group: 'apiextensions.k8s.io' })).toBe(false);
    expect(await allowed('escalate', 'clusterroles', { group: 'rbac.authorization.k8s.io' })).toBe(false);
  });

  it('is what the operator authenticates as in the tests', async () => {
    const response = await env.cluster.request('GET', '/apis/lanyard.dev/v1alpha1/identitytenants');
    expect(response.status).toBe(200);
    const whoami = await env.operatorKubeConfig.makeApiClient((await import('@kubernetes/client-node')).AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    expect(whoami.status?.userInfo?.username).toBe(OPERATOR_USER);
  });
});
