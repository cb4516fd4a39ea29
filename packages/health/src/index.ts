export { registerHealthRoutes, type HealthOptions } from './register-health-routes.js';
