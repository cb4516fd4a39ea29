/**
 * NodePorts of the kind dev cluster. kind-config.yaml maps each to the same-numbered localhost
 * port as in docker compose (docs/reference/ports.md); the Tiltfile sets the Lanyard charts' ports.
 * A test checks that the three files agree.
 */
export const KIND_NODE_PORTS = {
  api: { nodePort: 30800, hostPort: 8000 },
  queueDashboard: { nodePort: 30555, hostPort: 5555 },
  grafana: { nodePort: 30300, hostPort: 3000 },
  prometheus: { nodePort: 30909, hostPort: 9090 },
} as const;
