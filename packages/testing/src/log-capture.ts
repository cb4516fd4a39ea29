import { Writable } from 'node:stream';

export interface LogCapture {
  /** A pino destination. */
  readonly destination: Writable;
  /** Every line written so far, parsed. */
  readonly lines: Array<Record<string, unknown>>;
  /** Raw output, for "this secret never appears" assertions. */
  raw(): string;
}

/** Collects the JSON log lines a service writes, for assertions on what is (and is not) logged. */
export function captureLogs(): LogCapture {
  let raw = '';
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString('utf8');
      raw += text;
      for (const line of text.split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { destination, lines, raw: () => raw };
}
