export { createLogger, redactedPaths, type CreateLoggerOptions, type Logger } from './create-logger.js';
export { boundLogger, type BoundLogger } from './bound-logger.js';
