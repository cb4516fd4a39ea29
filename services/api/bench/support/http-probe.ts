import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProbeRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface LatencyFigures {
  readonly count: number;
  readonly errors: number;
  /** Microsecond-resolution percentiles (autocannon's histogram resolves whole milliseconds only). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function send(agent: Agent, probe: ProbeRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(probe.url, { method: 'POST', agent, headers: { ...probe.headers, 'content-length': String(Buffer.byteLength(probe.body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(probe.body);
  });
}

function summarize(latencies: number[], errors: number): LatencyFigures {
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
  return { count: latencies.length, errors, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: latencies[latencies.length - 1] ?? Number.NaN };
}

/** Unloaded latency: `count` requests one after another over one kept-alive connection. */
export async function sequentialLatency(probe: ProbeRequest, count: number): Promise<LatencyFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i += 1) {
    const started = process.hrtime.bigint();
    const status = await send(agent, probe).catch(() => 0);
    if (status !== 200) errors += 1;
    else latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  agent.destroy();
  return summarize(latencies, errors);
}

/**
 * Open-loop probe: one request every 1/rate s regardless of answers, latency counted from the
 * *scheduled* send time, so a stalled server shows up in the tail instead of silently slowing the
 * probe down (coordinated omission).
 */
export async function fixedRateLatency(probe: ProbeRequest, rate: number, durationSeconds: number): Promise<LatencyFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Array<Promise<void>> = [];
  const start = process.hrtime.bigint();
  const total = Math.round(rate * durationSeconds);
  const intervalNs = BigInt(Math.round(1e9 / rate));
  for (let i = 0; i < total; i += 1) {
    const scheduled = start + BigInt(i) * intervalNs;
    const waitNs = scheduled - process.hrtime.bigint();
    if (waitNs > 1_000_000n) await sleep(Number(waitNs / 1_000_000n));
    inflight.push(
      send(agent, probe).then(
        (status) => {
          if (status !== 200) errors += 1;
          else latencies.push(Number(process.hrtime.bigint() - scheduled) / 1e6);
        },
        () => {
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  return summarize(latencies, errors);
}
