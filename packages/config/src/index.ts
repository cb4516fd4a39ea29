export { ConfigError, readEnvironment } from './read-environment.js';
export { loadConfig, loadConfigOrExit } from './load-config.js';
export { coreShape, smtpShape, bootstrapShape, secretNames, type CoreConfig } from './core-config.js';
export { loadApiConfig, loadApiConfigOrExit, type ApiConfig } from './api-config.js';
export { loadWorkerConfig, loadWorkerConfigOrExit, type WorkerConfig } from './worker-config.js';
export * as fields from './fields.js';
export { loadOperatorConfig, loadOperatorConfigOrExit, type OperatorConfig } from './operator-config.js';
