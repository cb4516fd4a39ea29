import { type ObjectSpec, v } from '../helm/values-spec.js';

const image = (reference: string, what: string) => v.string(reference, `${what} image.`, { minLength: 1 });

export const devValues: ObjectSpec = v.object('lanyard-dev', {
  logShipper: v.string('alloy', 'What ships the Lanyard pods\' logs to Loki: `alloy` (Grafana Alloy, the default) or `promtail` (end-of-life since March 2026, kept as the alternative).', {
    enum: ['alloy', 'promtail'],
  }),
  images: v.object('Images of the development dependencies (the versions docker-compose.yml runs).', {
    postgres: image('postgres:16-alpine', 'PostgreSQL 16'),
    redis: image('redis:7-alpine', 'Redis 7'),
    mailpit: image('axllent/mailpit:v1.21', 'Mailpit (SMTP sink with a web UI)'),
    prometheus: image('prom/prometheus:v2.55.1', 'Prometheus'),
    loki: image('grafana/loki:3.3.2', 'Loki'),
    alloy: image('grafana/alloy:v1.5.1', 'Grafana Alloy (log shipper)'),
    promtail: image('grafana/promtail:3.3.2', 'Promtail (the alternative log shipper)'),
    grafana: image('grafana/grafana:11.4.0', 'Grafana'),
    grafanaSidecar: image('kiwigrid/k8s-sidecar:1.28.0', 'Grafana dashboard sidecar'),
  }),
});
