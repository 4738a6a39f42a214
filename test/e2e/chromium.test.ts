/**
 * The browser the page tests use is found without installing anything by hand: HUXIN_CHROMIUM first, then the
 * system's Chromium, then the one inside the @sparticuz/chromium devDependency — and it starts.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../support/chromium.ts';

const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

describe('finding a Chromium', () => {
  it('takes the system one when there is one, else the packaged one, and it starts', async () => {
    const choice = await findChromium({});
    expect(choice.source).toBe(SYSTEM.some((p) => existsSync(p)) ? 'system' : '@sparticuz/chromium');
    expect(existsSync(choice.executablePath)).toBe(true);
    const browser = await launchChromium({});
    try {
      const page = await browser.newPage();
      await page.setContent('<p>护薪</p>');
      expect(await page.textContent('p')).toBe('护薪');
    } finally {
      await browser.close();
    }
  });

  it('prefers HUXIN_CHROMIUM, and refuses a path that does not exist', async () => {
    const found = await findChromium({});
    const chosen = await findChromium({ HUXIN_CHROMIUM: found.executablePath });
    expect(chosen.source).toBe('HUXIN_CHROMIUM');
    expect(chosen.executablePath).toBe(found.executablePath);
    await expect(findChromium({ HUXIN_CHROMIUM: '/nonexistent/chromium' })).rejects.toThrow('/nonexistent/chromium');
  });
});
