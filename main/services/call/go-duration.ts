const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * A Go duration (`1s`, `500ms`, `1m30s`, `1.5h`) in milliseconds, or undefined when Go's `time.ParseDuration`
 * would refuse it. eKuiper reads an interface's `retryInterval` with it; no npm package reads Go's syntax exactly,
 * and the grammar is a dozen lines.
 */
export function parseGoDuration(text: string): number | undefined {
  const found = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(text);
  if (found === null) return undefined;
  if (found[2] === '0') return 0;
  let total = 0;
  for (const part of found[2]!.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
  }
  return found[1] === '-' ? -total : total;
}
