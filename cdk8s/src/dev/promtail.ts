import { devPromtailConfig } from './dev-configs.js';
import type { NodeLogShipperProps } from './node-log-shipper.js';

/**
 * Promtail on every node, tailing the Lanyard pods' log files into Loki: the end-of-life
 * alternative to Alloy, rendered with `logShipper: promtail`.
 */
export const promtailShipper = (): NodeLogShipperProps => ({
  name: 'promtail',
  image: 'promtail',
  args: ['-config.file=/etc/promtail/promtail.yaml', '-config.expand-env=true'],
  port: 9080,
  readinessPath: '/ready',
  configDir: '/etc/promtail',
  configFile: 'promtail.yaml',
  config: devPromtailConfig(),
  stateDir: '/run/promtail',
});
