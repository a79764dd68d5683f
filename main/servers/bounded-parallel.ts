/**
 * Runs `work` on every item with at most `limit` running at once, answering the results in the items' order.
 * Servers are asked many small questions (one describe per plugin) and fleets act on many servers: all at once
 * would open hundreds of connections to one small edge box, one at a time would take as long as their sum.
 * `work` should not throw; when it does, the first error is thrown after the running ones have settled.
 */
export async function boundedParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === undefined) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
