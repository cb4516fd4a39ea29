export { createLogger, redactedPaths, type CreateLoggerOptions, type Logger } from './create-logger.js';
