// Writes operator/deploy/crd.yaml from @lanyard/crd (`npm run -w @lanyard/operator gen:crd`).
// The file is committed so `kubectl apply -f operator/deploy/` works without Node; a unit test fails
// when it drifts from the generator.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { identityTenantCrdYaml } from '@lanyard/crd';

const target = fileURLToPath(new URL('../../deploy/crd.yaml', import.meta.url));
writeFileSync(target, identityTenantCrdYaml());
console.log(`wrote ${target}`);
