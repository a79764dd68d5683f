import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A measured quantity with its unit. */
export interface Quantity {
  value: number;
  unit: string;
}

/** One line of the report table. */
export interface ResultRow {
  name: string;
  measured: Quantity;
  /** The same thing measured the simple way in the same run; `label` says what it is. */
  baseline?: Quantity & { label: string };
  /** measured / baseline. */
  ratio?: number;
  /** The goal in words, e.g. `≤ 1.5× unzip`. */
  goal: string;
  /** null for rows reported for context only. */
  pass: boolean | null;
}

function formatQuantity(quantity: Quantity): string {
  const digits = Math.abs(quantity.value) >= 100 ? 0 : 1;
  return `${quantity.value.toFixed(digits)} ${quantity.unit}`;
}

function verdict(row: ResultRow): string {
  if (row.pass === null) return 'info';
  return row.pass ? 'PASS' : 'FAIL';
}

/** The rows as a fixed-width text table, FAIL rows marked so they stand out. */
export function formatTable(rows: readonly ResultRow[]): string {
  const header = ['benchmark', 'measured', 'baseline', 'ratio', 'goal', 'result'];
  const lines = rows.map((row) => [
    row.name,
    formatQuantity(row.measured),
    row.baseline === undefined ? '—' : `${formatQuantity(row.baseline)} (${row.baseline.label})`,
    row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`,
    row.goal,
    verdict(row) === 'FAIL' ? '** FAIL **' : verdict(row),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(render)].join(
    '\n',
  );
}

/** Writes the report to `bench-results/bench-<timestamp>.json` and `bench-results/latest.json`. */
export async function writeReport(
  folder: string,
  report: { startedAt: string } & Record<string, unknown>,
): Promise<string> {
  await mkdir(folder, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const file = join(folder, `bench-${stamp}.json`);
  await writeFile(file, text);
  await writeFile(join(folder, 'latest.json'), text);
  return file;
}
