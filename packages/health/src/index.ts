export { registerHealthRoutes, type HealthOptions } from './register-health-routes.js';
export { installGracefulShutdown, type GracefulShutdownOptions } from './graceful-shutdown.js';
