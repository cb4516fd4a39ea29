import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Paths of the real Kubernetes binaries the integration tests run. */
export interface KubeBinaries {
  readonly kubeApiServer: string;
  readonly etcd: string;
}


/**
 * Locates kube-apiserver and etcd in the git-ignored cache that `scripts/build-k8s-test-bins.sh`
 * fills (`${LANYARD_CACHE:-~/.cache/lanyard}/k8s-bin`, outside the clone so a fresh clone reuses it;
 * overridable per binary like the script). A missing
 * binary is an error, never a skipped test: a suite that silently skips proves nothing.
 */
export function findKubeBinaries(env: NodeJS.ProcessEnv = process.env): KubeBinaries {
  const cacheRoot = env.LANYARD_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lanyard');
  const dir = join(cacheRoot, 'k8s-bin');
  const binaries = {
    kubeApiServer: env.KUBE_APISERVER ?? join(dir, 'kube-apiserver'),
    etcd: env.ETCD ?? join(dir, 'etcd'),
  };
  for (const path of Object.values(binaries)) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(
        `${path} is missing or not executable. The operator's integration tests need a real kube-apiserver and etcd: run scripts/build-k8s-test-bins.sh (builds them from their Go modules into ${dir}).`,
      );
    }
  }
  return binaries;
}
