import { devAlloyConfig } from './dev-configs.js';
import type { NodeLogShipperProps } from './node-log-shipper.js';

/** Alloy's HTTP server: its UI, `/-/ready` and its own metrics; internal only. */
export const ALLOY_HTTP_PORT = 12345;

/**
 * Grafana Alloy on every node, tailing the Lanyard pods' log files into Loki: the default log
 * shipper (`logShipper: alloy`; Promtail is the alternative).
 */
export const alloyShipper = (): NodeLogShipperProps => ({
  name: 'alloy',
  image: 'alloy',
  args: ['run', `--server.http.listen-addr=0.0.0.0:${ALLOY_HTTP_PORT}`, '--storage.path=/var/lib/alloy/data', '/etc/alloy/config.alloy'],
  port: ALLOY_HTTP_PORT,
  readinessPath: '/-/ready',
  configDir: '/etc/alloy',
  configFile: 'config.alloy',
  config: devAlloyConfig(),
  stateDir: '/var/lib/alloy/data',
});
