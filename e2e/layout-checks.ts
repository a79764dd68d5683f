import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { expect } from './host-fixture';

/** Measurements from the laid-out page: what a user at that window size sees, checked in numbers. */

/** Rounding slack for comparing boxes, in CSS px. */
const SLACK = 1;

const I18N = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'renderer/src/i18n');

/** The window's strings in one language, to find controls by the names a user of that language sees. */
export function strings(
  language: 'en' | 'zh-CN',
): (key: string, values?: Record<string, string | number>) => string {
  const bundle = JSON.parse(readFileSync(join(I18N, `${language}.json`), 'utf8')) as Record<string, unknown>;
  return (key, values = {}) => {
    let node: unknown = bundle;
    for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
    if (typeof node !== 'string') throw new Error(`no string ${key} in ${language}`);
    return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
  };
}

/** A regular expression matching `text` literally, from its start. */
export function startingWith(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/** The page never scrolls sideways: everything fits the window's width. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    window: window.innerWidth,
  }));
  expect(widths.document, 'the page is wider than the window').toBeLessThanOrEqual(widths.window);
  expect(widths.body, 'the page is wider than the window').toBeLessThanOrEqual(widths.window);
}

/** `locator` is wholly inside the window (not cut off at an edge, not below the fold). */
export async function expectInViewport(page: Page, locator: Locator, what: string): Promise<void> {
  // Waits out a transition (a notification sliding in, a dialog opening) before measuring.
  await expect(locator, `${what} is not wholly in the window`).toBeInViewport({ ratio: 1 });
  const box = await locator.boundingBox();
  expect(box, `${what} is not laid out`).not.toBeNull();
  const size = page.viewportSize()!;
  expect(box!.x, `${what} starts left of the window`).toBeGreaterThanOrEqual(-SLACK);
  expect(box!.y, `${what} starts above the window`).toBeGreaterThanOrEqual(-SLACK);
  expect(box!.x + box!.width, `${what} ends right of the window`).toBeLessThanOrEqual(size.width + SLACK);
  expect(box!.y + box!.height, `${what} ends below the window`).toBeLessThanOrEqual(size.height + SLACK);
}

/** `locator`'s text is on one line: no taller than one line of its own line height. */
export async function expectOneLine(locator: Locator, what: string): Promise<void> {
  const { height, lineHeight } = await locator.evaluate((element) => {
    const style = getComputedStyle(element);
    const line = parseFloat(style.lineHeight);
    return {
      height: element.getBoundingClientRect().height,
      lineHeight: Number.isNaN(line) ? parseFloat(style.fontSize) * 1.6 : line,
    };
  });
  expect(height, `${what} wraps`).toBeLessThan(lineHeight * 1.5);
}

/** Two boxes overlap. */
export function overlaps(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Each header cell of the plugin table sits exactly over the cells of its column (left and right edges), for
 * every row on screen: checked as laid out, and again after scrolling the table sideways as far as it goes.
 */
export async function expectHeaderOverColumns(table: Locator): Promise<void> {
  const misaligned = () =>
    table.evaluate((element) => {
      const headers = [...element.querySelectorAll('[role="columnheader"]')].map((cell) =>
        cell.getBoundingClientRect(),
      );
      const rows = [...element.querySelectorAll('[role="rowgroup"]:nth-child(2) [role="row"]')];
      const problems: string[] = [];
      if (rows.length === 0) problems.push('no rows');
      for (const row of rows) {
        const cells = [...row.querySelectorAll('[role="cell"]')].map((cell) => cell.getBoundingClientRect());
        if (cells.length !== headers.length)
          problems.push(`${cells.length} cells under ${headers.length} headers`);
        cells.forEach((cell, index) => {
          const header = headers[index];
          if (header === undefined) return;
          if (Math.abs(cell.left - header.left) > 1 || Math.abs(cell.right - header.right) > 1) {
            problems.push(
              `column ${index + 1}: header ${header.left}–${header.right}, cell ${cell.left}–${cell.right}`,
            );
          }
        });
      }
      return problems;
    });
  expect(await misaligned()).toEqual([]);
  await table.evaluate((element) => {
    const scroller = element.parentElement!;
    scroller.scrollLeft = scroller.scrollWidth;
  });
  expect(await misaligned()).toEqual([]);
  await table.evaluate((element) => {
    element.parentElement!.scrollLeft = 0;
  });
}
