import { rm, stat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { PluginOverview } from '../../shared/plugin-dto.js';
import type { TempRoot } from '../lib/cleanup.js';
import { populate } from '../lib/data-folder.js';
import { PROJECT_ROOT, spawnHost, type HostProcess } from '../lib/host-process.js';
import { readCpuMs } from '../lib/proc.js';
import type { ResultRow } from '../lib/report.js';
import { median, percentileOfSorted, round } from '../lib/stats.js';

/** Page benchmark settings. */
export interface PageBenchOptions {
  /** Portable plugins in the big data folder (the first tab lists them all). */
  plugins: number;
  /** Portable plugins in the baseline data folder. */
  baselinePlugins: number;
  /** Cold navigations per data folder. */
  runs: number;
  /** Timed keystrokes per data folder. */
  keystrokes: number;
  goalLoadMs: number;
  goalKeystrokeMs: number;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PREFERENCES = JSON.stringify({ state: { language: 'en', colorScheme: 'light' }, version: 0 });

/**
 * Runs in the page before its scripts (a string: the bench is type-checked without the DOM library): records, in
 * `performance.now()` ms since navigation start, the first frame painted after the list shows a row. Two
 * animation frames: the first runs before the paint, the second after it.
 */
const RECORD_LIST_RENDERED = `
  localStorage.setItem('ekuiper-extension-manager.preferences', ${JSON.stringify(PREFERENCES)});
  const observer = new MutationObserver(() => {
    if (document.querySelector('[data-testid="plugin-rows"] [role="row"]') === null) return;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => (window.listRenderedAt = performance.now())));
  });
  observer.observe(document, { childList: true, subtree: true });
`;

/** Milliseconds from navigation start to the first painted frame with the list's rows. */
async function timeNavigation(browser: Browser, url: string): Promise<{ ms: number; bytes: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const sizes: Array<Promise<number>> = [];
    page.on('requestfinished', (request) => {
      // Requests still finishing when the context closes (idle prefetch, heartbeat) count as 0, not as a crash.
      sizes.push(
        request.sizes().then(
          (size) => size.responseBodySize + size.responseHeadersSize,
          () => 0,
        ),
      );
    });
    await page.addInitScript(RECORD_LIST_RENDERED);
    await page.goto(url);
    const handle = await page.waitForFunction(
      () => (globalThis as unknown as { listRenderedAt?: number }).listRenderedAt,
      undefined,
      { timeout: 60_000, polling: 50 },
    );
    const ms = (await handle.jsonValue()) as number;
    const bytes = (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
    return { ms, bytes };
  } finally {
    await context.close();
  }
}

/**
 * Times one keystroke in the filter box: from the `keydown` (captured before React sees it) to the first frame
 * painted after the list's count reads `expected of total`.
 */
async function timeKeystroke(page: Page, input: Locator, key: string, expected: string): Promise<number> {
  // A string, not a function: tsx would wrap named inner functions in a `__name` helper the page lacks.
  await page.evaluate(`
    window.keystroke = new Promise((resolve, reject) => {
      setTimeout(() => {
        const live = [...document.querySelectorAll('[aria-live="polite"]')].map((node) => node.textContent);
        reject(new Error('the list did not show ' + ${JSON.stringify(expected)} + ' within 20 s; it shows ' + live.join(' | ')));
      }, 20000);
      let start = 0;
      document.addEventListener('keydown', () => (start = performance.now()), { capture: true, once: true });
      const observer = new MutationObserver(() => {
        if (start === 0) return;
        const live = [...document.querySelectorAll('[aria-live="polite"]')];
        if (!live.some((node) => node.textContent === ${JSON.stringify(expected)})) return;
        observer.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    undefined; // not the promise: evaluate would wait for it before the key is pressed
  `);
  await input.press(key);
  try {
    return await page.evaluate(() => (globalThis as unknown as { keystroke: Promise<number> }).keystroke);
  } catch (error) {
    throw new Error(`${(error as Error).message} (the filter holds '${await input.inputValue()}')`, {
      cause: error,
    });
  }
}

/**
 * Whether the window's filter keeps a portable plugin for one word: the fields it matches against (name, version,
 * language, the origin's file name, the symbols), case-insensitively. A copy of the window's rule, so the bench
 * knows what count each keystroke must produce; if the rule changes, the bench says which count it waited for.
 */
function matches(plugin: PluginOverview, word: string): boolean {
  const origin = plugin.record?.source?.split('/').at(-1) ?? '';
  const fields = [plugin.name, plugin.version, plugin.language ?? '', origin, ...plugin.sources];
  fields.push(...plugin.sinks, ...plugin.functions);
  return fields.join('\n').toLowerCase().includes(word.toLowerCase());
}

/** The filter typed one key at a time; each prefix narrows the list further. */
const NEEDLE = '2345';

async function timeKeystrokes(
  browser: Browser,
  url: string,
  count: number,
  keystrokes: number,
): Promise<number[]> {
  const overview = (await (await fetch(`${url}/manager/plugins`)).json()) as PluginOverview[];
  const rows = overview.filter((plugin) => plugin.kind === 'portables');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const times: number[] = [];
  try {
    const page = await context.newPage();
    await page.addInitScript((preferences) => {
      localStorage.setItem('ekuiper-extension-manager.preferences', preferences);
    }, PREFERENCES);
    await page.goto(url);
    const filter = page.getByRole('searchbox', { name: 'Filter' });
    await filter.waitFor({ timeout: 60_000 });
    while (times.length < keystrokes) {
      for (let length = 1; length <= NEEDLE.length && times.length < keystrokes; length++) {
        const needle = NEEDLE.slice(0, length);
        const expected = `${rows.filter((plugin) => matches(plugin, needle)).length} of ${rows.length}`;
        times.push(await timeKeystroke(page, filter, NEEDLE[length - 1]!, expected));
      }
      // Back to the full list, untimed.
      await filter.fill('');
      await page.getByText(`${count} of ${count}`).waitFor();
    }
  } finally {
    await context.close();
  }
  return times;
}

/** Bytes of the built page: every file under out/renderer, and the biggest script. */
async function bundleSize(): Promise<{ totalBytes: number; files: Record<string, number> }> {
  const folder = join(PROJECT_ROOT, 'out/renderer/assets');
  const files: Record<string, number> = {};
  let totalBytes = 0;
  for (const name of await readdir(folder)) {
    const size = (await stat(join(folder, name))).size;
    files[name] = size;
    totalBytes += size;
  }
  return { totalBytes, files };
}

function summary(values: readonly number[]): { median: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: median(sorted), p95: percentileOfSorted(sorted, 95) };
}

/** Waits until the process uses under 5% of a CPU over two half-second windows in a row (at most 3 minutes). */
async function waitUntilIdle(pid: number): Promise<void> {
  const deadline = Date.now() + 180_000;
  let quietWindows = 0;
  while (quietWindows < 2 && Date.now() < deadline) {
    const before = readCpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    quietWindows = readCpuMs(pid) - before < 25 ? quietWindows + 1 : 0;
  }
}

/**
 * Benchmark: the window in Debian's Chromium against the built host with `plugins` portable plugins, against the
 * same window over `baselinePlugins` (same run, same browser). Navigation: cold (new browser context each run),
 * from navigation start to the first painted frame with rows. Keystroke: typing one digit at a time into the
 * filter, from keydown to the first painted frame with the updated count.
 */
export async function pageBench(
  temp: TempRoot,
  configHome: string,
  options: PageBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const bigDir = await temp.folder('page-big');
  const smallDir = await temp.folder('page-small');
  await populate(bigDir, { portables: options.plugins });
  await populate(smallDir, { portables: options.baselinePlugins });
  const hosts: HostProcess[] = [];
  let browser: Browser | undefined;
  try {
    const big = await spawnHost({ dataDir: bigDir, configHome, timeoutMs: 60_000 });
    hosts.push(big);
    const small = await spawnHost({ dataDir: smallDir, configHome });
    hosts.push(small);
    // At start the host tries to run every installed portable plugin (these fixtures' executables are stand-ins
    // that exit at once): let that settle, so the window is timed against a host at rest, as the user sees it.
    await waitUntilIdle(big.pid);
    await waitUntilIdle(small.pid);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    // One untimed load each: Chromium's own start-up costs (compiling its first page) stay out of the runs.
    await timeNavigation(browser, small.url);
    await timeNavigation(browser, big.url);
    const bigLoads: number[] = [];
    const smallLoads: number[] = [];
    let bytes = 0;
    for (let i = 0; i < options.runs; i++) {
      const loaded = await timeNavigation(browser, big.url);
      bigLoads.push(loaded.ms);
      bytes = loaded.bytes;
      smallLoads.push((await timeNavigation(browser, small.url)).ms);
    }
    const bigKeys = await timeKeystrokes(browser, big.url, options.plugins, options.keystrokes);
    const smallKeys = await timeKeystrokes(browser, small.url, options.baselinePlugins, options.keystrokes);
    const bundle = await bundleSize();
    const load = summary(bigLoads);
    const loadBase = summary(smallLoads);
    const key = summary(bigKeys);
    const keyBase = summary(smallKeys);
    const n = options.plugins;
    const base = `${options.baselinePlugins} plugins`;
    return {
      rows: [
        {
          name: `window: navigation → list (${n} plugins), median`,
          measured: { value: load.median, unit: 'ms' },
          baseline: { value: loadBase.median, unit: 'ms', label: base },
          ratio: load.median / loadBase.median,
          goal: `< ${options.goalLoadMs} ms`,
          pass: load.median < options.goalLoadMs,
        },
        {
          name: `window: navigation → list (${n} plugins), p95`,
          measured: { value: load.p95, unit: 'ms' },
          baseline: { value: loadBase.p95, unit: 'ms', label: base },
          ratio: load.p95 / loadBase.p95,
          goal: `< ${options.goalLoadMs} ms`,
          pass: load.p95 < options.goalLoadMs,
        },
        {
          name: `window: filter keystroke → list (${n} plugins), median`,
          measured: { value: key.median, unit: 'ms' },
          baseline: { value: keyBase.median, unit: 'ms', label: base },
          ratio: key.median / keyBase.median,
          goal: `< ${options.goalKeystrokeMs} ms`,
          pass: key.median < options.goalKeystrokeMs,
        },
        {
          name: `window: filter keystroke → list (${n} plugins), p95`,
          measured: { value: key.p95, unit: 'ms' },
          baseline: { value: keyBase.p95, unit: 'ms', label: base },
          ratio: key.p95 / keyBase.p95,
          goal: '—',
          pass: null,
        },
        {
          name: 'window: bytes transferred on first load',
          measured: { value: bytes / 1024, unit: 'KiB' },
          goal: '—',
          pass: null,
        },
      ],
      details: {
        plugins: n,
        baselinePlugins: options.baselinePlugins,
        loadMs: bigLoads.map((value) => round(value)),
        baselineLoadMs: smallLoads.map((value) => round(value)),
        keystrokeMs: bigKeys.map((value) => round(value)),
        baselineKeystrokeMs: smallKeys.map((value) => round(value)),
        firstLoadBytes: bytes,
        bundle,
        chromium: browser.version(),
      },
    };
  } finally {
    await browser?.close();
    for (const host of hosts) await host.stop();
    await rm(bigDir, { recursive: true, force: true });
    await rm(smallDir, { recursive: true, force: true });
  }
}
