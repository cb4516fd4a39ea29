/**
 * `task(0)` … `task(count - 1)` with at most `concurrency` in flight, results in index order: how
 * the benches prepare pools (tokens, login forms) and apply fleets without one request at a time.
 */
export async function mapInParallel<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await task(i);
    }),
  );
  return results;
}
