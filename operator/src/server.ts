// Process entry point: configuration, logging, the probe/metrics server and graceful shutdown.
import { KubeConfig } from '@kubernetes/client-node';
import { loadOperatorConfigOrExit } from '@lanyard/config';
import { installGracefulShutdown } from '@lanyard/health';
import { createLogger } from '@lanyard/logger';
import { collectDefaultMetrics, Registry } from '@lanyard/metrics';
import { createOperator } from './create-operator.js';
import { buildHealthServer } from './http/health-server.js';

const config = loadOperatorConfigOrExit();
const log = createLogger({ service: 'operator', level: config.LOG_LEVEL });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

// In a pod: the mounted ServiceAccount token; elsewhere: $KUBECONFIG or ~/.kube/config.
const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();

const operator = createOperator({
  config,
  kubeConfig,
  log,
  registry,
});
const http = buildHealthServer(registry, operator);
// Installed before listening: a SIGTERM that arrives as soon as the port opens is still graceful.
installGracefulShutdown({
  log,
  graceSeconds: config.SHUTDOWN_GRACE_SECONDS,
  async stop() {
    // Finish running reconciles, release the Lease so a standby takes over at once, then stop serving.
    await operator.stop();
    await http.close();
  },
});

await http.listen({ host: config.OPERATOR_HOST, port: config.OPERATOR_PORT });
await operator.start();
log.info({ port: config.OPERATOR_PORT, identity: config.POD_NAME, leaderElection: config.LEADER_ELECTION_ENABLED }, 'operator started');
