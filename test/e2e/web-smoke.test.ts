// The browser can reach keydesk's own server: the harness the page tests stand on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/app.js';

describe('headless Chromium', () => {
  let t: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('opens /healthz and saves a screenshot', async () => {
    const page = await browser.page();
    const res = await page.goto(`${t.app.url}/healthz`);
    expect(res?.status()).toBe(200);
    expect(await page.textContent('body')).toContain('"status":"ok"');
    await screenshot(page, 'healthz');
  });
});
