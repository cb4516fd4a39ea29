import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { serializeError } from './serialize-error.js';

/**
 * Paths whose values never reach a log line: credentials in headers and in parsed bodies at any depth
 * pino can address. Redaction is the last line of defence; code should not log these in the first place.
 */
export const redactedPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...['password', 'secret', 'clientSecret', 'client_secret', 'token', 'access_token', 'refresh_token', 'id_token', 'code_verifier', 'privateKey']
    .flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export interface CreateLoggerOptions {
  /** Name of the emitting service (`api`, `worker`, `operator`); a Loki label. */
  readonly service: string;
  readonly level: string;
  /** Where lines go; stdout when omitted. Tests pass a stream to assert on log lines. */
  readonly destination?: DestinationStream;
}

/**
 * The one pino configuration of the platform: JSON lines with a string `level`, ISO `time`, the
 * `service`, redaction of secrets, and errors without the data a failed query carried
 * (docs/reference/logs.md).
 */
export function createLogger({ service, level, destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    // Errors are logged through one serializer that drops query parameters and row values.
    serializers: { err: serializeError, error: serializeError },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger };
