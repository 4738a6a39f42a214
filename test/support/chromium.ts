/**
 * Which Chromium the browser tests drive (playwright-core never downloads one), in this order:
 *   1. HUXIN_CHROMIUM — a path to a Chromium or Chrome executable the tester chose;
 *   2. the system's Chromium (Debian's `chromium`, Ubuntu's `chromium-browser`, a Google Chrome install);
 *   3. the Chromium that `@sparticuz/chromium` carries inside its npm tarball (a devDependency, so a fresh
 *      clone with only Node.js and npm has one): unpacked once into /tmp/chromium.
 * A browser that cannot be found or started FAILS the suite: the page tests never skip.
 * No CJK fonts are needed: the tests assert on text and structure, fonts only change screenshots.
 */
import { existsSync } from 'node:fs';
import { chromium as playwright, type Browser } from 'playwright-core';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** quiet, offline, reproducible: no update checks, sync, first-run pages or QUIC probes */
const QUIET_FLAGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface ChromiumChoice {
  readonly executablePath: string;
  readonly args: readonly string[];
  /** where it came from: 'HUXIN_CHROMIUM', 'system' or '@sparticuz/chromium' */
  readonly source: string;
}

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  const chosen = env.HUXIN_CHROMIUM?.trim();
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`HUXIN_CHROMIUM=${chosen}: no such file`);
    return { executablePath: chosen, args: ['--headless', '--no-sandbox', '--disable-gpu', ...QUIET_FLAGS], source: 'HUXIN_CHROMIUM' };
  }
  const system = SYSTEM_PATHS.find((p) => existsSync(p));
  if (system) return { executablePath: system, args: ['--headless', '--no-sandbox', '--disable-gpu', ...QUIET_FLAGS], source: 'system' };
  // Imported only when needed: it is the fallback, and its module unpacks nothing until executablePath().
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  // Its args are tuned for AWS Lambda; `--single-process` is dropped because in one process closing a browser
  // context ends the whole browser, and each test opens and closes its own context.
  const args = packaged.args.filter((a) => a !== '--single-process');
  return { executablePath, args: [...args, '--no-sandbox', ...QUIET_FLAGS], source: '@sparticuz/chromium' };
}

export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const choice = await findChromium(env);
  try {
    return await playwright.launch({ executablePath: choice.executablePath, args: [...choice.args], headless: true });
  } catch (e) {
    throw new Error(`Chromium from ${choice.source} (${choice.executablePath}) did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
}
