import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@lanyard/logger';

/** A real pino logger whose lines are kept, parsed, for assertions. */
export function captureLogger(service: string): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { log: createLogger({ service, level: 'debug', destination }), lines };
}
