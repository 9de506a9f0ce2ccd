/** Chromium (chromium.ts picks Debian's or the npm package's) driven by playwright-core. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS } from './chromium.ts';
import './provided.ts';

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { javaScriptEnabled?: boolean; width?: number; height?: number; bypassCSP?: boolean } = {}): Promise<Browser> {
  const install = inject('chromium');
  const userDataDir = mkdtempSync(join(tmpdir(), 'sipas-chromium-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: install.executablePath,
    env: { ...process.env, ...install.env },
    headless: true,
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    bypassCSP: opts.bypassCSP ?? false,
    viewport: { width: opts.width ?? 360, height: opts.height ?? 740 },
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Serves the app on a loopback port for the browser. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations of any impact on the current page (the context must bypass CSP to inject it). */
export async function allViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: { resultTypes: string[] }): Promise<{ violations: AxeViolation[] }> } }).axe;
    // Violations only: the passes and the incomplete are not gathered in full (a big page checks much faster).
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
}

/** axe-core's serious and critical violations on the current page (the context must bypass CSP to inject it). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  return (await allViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** True when the page is wider than the viewport (a sideways scroll on a phone). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/**
 * The browser's text size setting (Chrome: Settings, Appearance, Font size), as a percentage of the
 * default 16 px: it scales rem and em, media and container queries alike. Set it after each
 * navigation (a new page may get a new renderer).
 */
export async function setTextSize(page: Page, percent: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: Math.round((16 * percent) / 100), fixed: Math.round((13 * percent) / 100) } });
  await cdp.detach();
}
