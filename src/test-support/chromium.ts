import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium; playwright-core never downloads a browser of its own here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Browser tests skip only on a developer machine without chromium; in CI (CI set) they must run. */
export function chromiumMissing(): boolean {
  return !existsSync(CHROMIUM) && !process.env.CI;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
