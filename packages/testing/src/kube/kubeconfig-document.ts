/**
 * A kubeconfig for one bearer token. JSON is valid YAML, so any kubeconfig loader (client-node's
 * `loadFromString`, kubectl) reads it, and this package needs no YAML or Kubernetes client dependency.
 */
export function kubeconfigDocument(server: string, caPem: string, user: string, token: string): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'lanyard-test', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: 'lanyard-test', context: { cluster: 'lanyard-test', user } }],
      'current-context': 'lanyard-test',
    },
    null,
    2,
  );
}
