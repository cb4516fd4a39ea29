/**
 * Small PromQL builders, so every panel computes rates and quantiles the same way. Grafana's
 * `$__rate_interval` (at least four scrape intervals) keeps rate() stable at any zoom level.
 */
const RATE_WINDOW = '$__rate_interval';

/** `{a="b", c=~"d"}` from already-written matchers; empty when there are none. */
const selector = (matchers: readonly string[]): string => (matchers.length === 0 ? '' : `{${matchers.join(', ')}}`);

/** Per-second rate of a counter, summed by `by`. */
export function sumRate(metric: string, by: readonly string[], matchers: readonly string[] = []): string {
  const grouping = by.length === 0 ? '' : ` by (${by.join(', ')})`;
  return `sum${grouping} (rate(${metric}${selector(matchers)}[${RATE_WINDOW}]))`;
}

/** Quantile `q` of a histogram (`metric` without the `_bucket` suffix), kept apart by `by`. */
export function histogramQuantile(q: number, metric: string, by: readonly string[], matchers: readonly string[] = []): string {
  return `histogram_quantile(${q}, ${sumRate(`${metric}_bucket`, ['le', ...by], matchers)})`;
}

/** A gauge summed by `by`. */
export function sumGauge(metric: string, by: readonly string[], matchers: readonly string[] = []): string {
  const grouping = by.length === 0 ? '' : ` by (${by.join(', ')})`;
  return `sum${grouping} (${metric}${selector(matchers)})`;
}

/** The part of a counter's rate matching `part`, as a ratio of its whole rate (0 when idle). */
export function rateRatio(metric: string, part: readonly string[], matchers: readonly string[] = []): string {
  // `or vector(0)` after the division shows 0 instead of a gap when there is no traffic at all.
  return `(${sumRate(metric, [], [...matchers, ...part])} / ${sumRate(metric, [], matchers)}) or vector(0)`;
}
