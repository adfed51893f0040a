// `npm run screenshots`: the README's pictures of the sandbox console, taken in Debian's
// Chromium from a fresh sandbox (its own temporary data dir and Redis prefix, removed after):
// the unlock card in #helpdesk, the /password modal, an admin's Home tab, the inbox.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.js';
import { startTestSandbox } from '../test/support/sandbox-console.js';

const OUT = path.resolve('docs');

async function command(page: Page, text: string): Promise<void> {
  await page.fill('#composer-input', text);
  await page.press('#composer-input', 'Enter');
  // The completion list takes the first Enter when the command is still being typed.
  if ((await page.inputValue('#composer-input')).trim() !== '') await page.press('#composer-input', 'Enter');
}

async function main(): Promise<void> {
  const test = await startTestSandbox();
  const { sandbox } = test;
  const browser = await launchBrowser();
  try {
    const context = await browser.browser.newContext({ viewport: { width: 1400, height: 820 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const open = async (as: string, pane: string) => {
      await page.goto(`${sandbox.url}?as=${as}&pane=${pane}`);
      await page.locator('#pane-title').filter({ hasText: /\S/ }).waitFor();
    };

    await open('U0SAM', 'C0GENERAL');
    await command(page, '/unlock');
    await page.locator('.sb-ephemeral').first().waitFor();

    await open('U0GRACE', 'C0HELPDESK');
    await page.getByRole('button', { name: 'Approve' }).first().waitFor();
    await page.screenshot({ path: path.join(OUT, 'sandbox-helpdesk.png') });

    await page.getByRole('button', { name: 'Approve' }).first().click();
    await page.locator('#confirm').waitFor();
    await page.screenshot({ path: path.join(OUT, 'sandbox-confirm.png') });
    await page.click('#confirm-ok');

    await open('U0EMMA', 'C0GENERAL');
    await command(page, '/password');
    await page.locator('#modal').waitFor();
    await page.screenshot({ path: path.join(OUT, 'sandbox-modal.png') });
    await page.click('#modal-x');

    await open('U0GRACE', 'home');
    await page.locator('.sb-home').waitFor();
    await page.screenshot({ path: path.join(OUT, 'sandbox-home.png') });

    await open('U0NOAH', 'C0GENERAL');
    await page.locator('[data-mail]').first().waitFor();
    await page.locator('[data-mail]', { hasText: 'noah@' }).first().click();
    await page.frameLocator('#mail').locator('a').first().waitFor();
    await page.screenshot({ path: path.join(OUT, 'sandbox-inbox.png') });
    process.stdout.write(`screenshots written to ${OUT}/sandbox-{helpdesk,confirm,modal,home,inbox}.png\n`);
  } finally {
    await browser.close();
    await test.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshots: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
