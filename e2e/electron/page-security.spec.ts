import { expect, screenshot, test } from '../host-fixture';

/**
 * The page's Content-Security-Policy, in the same Chromium the desktop window embeds: the real page must
 * run without a single violation (Mantine's inline styles included), while injected scripts, inline handlers and calls
 * to any other origin are blocked.
 */
test('the page runs under its CSP without violations, and the CSP blocks what it should', async ({
  page,
  host,
}) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    localStorage.setItem(
      'ekuiper-extension-manager.preferences',
      JSON.stringify({ state: { language: 'en', colorScheme: 'dark' }, version: 0 }),
    );
  });
  await page.goto(host.url);
  await expect(page.getByRole('table', { name: 'Portable plugins' })).toBeVisible();
  // Tabs, a drawer and a dialog: the parts of Mantine that write styles at run time.
  await page.getByRole('tab', { name: /Sources/ }).click();
  await page.getByRole('button', { name: 'Delete random2' }).click();
  await expect(page.getByRole('dialog', { name: 'Delete random2?' })).toBeVisible();
  await screenshot(page, 'csp-dark-delete-dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: /Portable/ }).click();
  await page.getByRole('button', { name: 'Details of mirror' }).click();
  await expect(page.getByRole('dialog', { name: /mirror/ })).toBeVisible();
  expect(violations).toEqual([]);

  const blocked = await page.evaluate(async () => {
    const results: Record<string, string> = {};
    const marker = window as Window & { injected?: boolean; handled?: boolean };
    // (eval cannot be tried from here: Playwright's own evaluation is exempt from the page's CSP.)
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.handled = true');
    document.body.append(button);
    button.click();
    button.remove();
    results.inlineHandler = marker.handled === true ? 'ran' : 'blocked';
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.head.append(script);
    results.inlineScript = marker.injected === true ? 'ran' : 'blocked';
    try {
      await fetch('https://example.com/');
      results.otherOrigin = 'reached';
    } catch {
      results.otherOrigin = 'blocked';
    }
    return results;
  });
  expect(blocked).toEqual({ inlineHandler: 'blocked', inlineScript: 'blocked', otherOrigin: 'blocked' });
  expect(violations.length).toBeGreaterThanOrEqual(3);
});
