// Small statistics for the soak: a fixed-size latency histogram (a ten-minute run sends about a
// million requests; keeping each latency would make the driver's own memory grow) and the
// least-squares slope used for the "no growth trend" verdict.

/** Buckets grow by 1 % from 10 µs: any percentile is within 1 % of the true value, up to ~3.6 min. */
const BASE_MS = 0.01;
const GROWTH = 1.01;
const BUCKETS = 1_700;
const LOG_GROWTH = Math.log(GROWTH);

export class LatencyHistogram {
  readonly #counts = new Float64Array(BUCKETS);
  #total = 0;
  #max = 0;

  record(ms: number): void {
    const index = ms <= BASE_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / BASE_MS) / LOG_GROWTH));
    this.#counts[index]! += 1;
    this.#total += 1;
    if (ms > this.#max) this.#max = ms;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i += 1) this.#counts[i]! += other.#counts[i]!;
    this.#total += other.#total;
    if (other.#max > this.#max) this.#max = other.#max;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#total = 0;
    this.#max = 0;
  }

  get count(): number {
    return this.#total;
  }

  get maxMs(): number {
    return this.#total === 0 ? Number.NaN : this.#max;
  }

  /** The bucket's upper bound (never more than the largest value seen); NaN when empty. */
  percentile(p: number): number {
    if (this.#total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(this.#total * p));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(this.#max, BASE_MS * GROWTH ** i);
    }
    return this.#max;
  }
}

export interface Trend {
  /** Change per minute (units of `y`), least squares over the points given. */
  readonly slopePerMinute: number;
  /** Fitted change over the window, slope × its length. */
  readonly fittedChange: number;
  readonly points: number;
}

/** Ordinary least-squares slope of `y` against `tSeconds`, per minute; NaN with fewer than 3 points. */
export function leastSquaresTrend(points: ReadonlyArray<{ readonly tSeconds: number; readonly y: number }>): Trend {
  const valid = points.filter((p) => Number.isFinite(p.y));
  const n = valid.length;
  if (n < 3) return { slopePerMinute: Number.NaN, fittedChange: Number.NaN, points: n };
  const meanT = valid.reduce((s, p) => s + p.tSeconds, 0) / n;
  const meanY = valid.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of valid) {
    num += (p.tSeconds - meanT) * (p.y - meanY);
    den += (p.tSeconds - meanT) ** 2;
  }
  const perSecond = den === 0 ? Number.NaN : num / den;
  const span = valid[n - 1]!.tSeconds - valid[0]!.tSeconds;
  return { slopePerMinute: perSecond * 60, fittedChange: perSecond * span, points: n };
}

export interface Range {
  readonly min: number;
  readonly max: number;
  readonly last: number;
}

export function range(values: readonly number[]): Range {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: Number.NaN, max: Number.NaN, last: Number.NaN };
  return { min: Math.min(...finite), max: Math.max(...finite), last: finite[finite.length - 1]! };
}
