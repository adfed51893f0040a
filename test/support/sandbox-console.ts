// The sandbox (`npm run sandbox`) for the browser tests and the screenshot script: a fresh
// data dir, a free port, its own Redis prefix; and a small page object for the console at
// /sandbox, which only ever drives the page the way a person would.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { freePort } from './free-port.js';
import { deleteKeysWithPrefix } from './redis-keys.js';

export interface TestSandbox {
  sandbox: Sandbox;
  /** keydesk's own origin (`http://127.0.0.1:port`); the console is at `${base}/sandbox`. */
  base: string;
  dataDir: string;
  stop(): Promise<void>;
}


export async function startTestSandbox(opts: { socket?: boolean; env?: Record<string, string> } = {}): Promise<TestSandbox> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kd-sandbox-'));
  const prefix = `{kdtest-sbx-${randomBytes(6).toString('hex')}}`;
  const port = await freePort();
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      dataDir,
      port,
      ...(opts.socket ? { socket: true } : {}),
      logger: createLogger('silent'),
      env: { QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', ...opts.env },
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    sandbox,
    base: `http://127.0.0.1:${port}`,
    dataDir,
    async stop() {
      try {
        await sandbox.close();
      } finally {
        await deleteKeysWithPrefix(sandbox.config.redisUrl, prefix);
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export type SecretKind = 'email' | 'password' | 'pin' | 'answer' | 'totp' | 'code';

/** The console at /sandbox, as a person uses it. */
export class ConsoleDriver {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** The messages pane. */
  get pane(): Locator {
    return this.page.locator('#pane');
  }

  /** Be `personId`, looking at `pane` (a channel id, the DM `D0…`, or `home`). */
  async as(personId: string, pane = 'C0GENERAL'): Promise<void> {
    await this.page.goto(`${this.baseUrl}/sandbox?as=${encodeURIComponent(personId)}&pane=${encodeURIComponent(pane)}`);
    // The client draws the sidebar and the person together, from the first state it gets.
    await this.page.locator(`.sb-nav-on[data-pane="${pane}"]`).waitFor();
    const shown = await this.page.locator('#person').inputValue();
    if (shown !== personId) throw new Error(`the console shows ${shown}, not ${personId}`);
  }

  /** Types a slash command in the composer and sends it (Enter). */
  async command(text: string): Promise<void> {
    const input = this.page.locator('#composer-input');
    await input.fill(text);
    await input.press('Escape'); // no completion in the way: Enter sends
    await input.press('Enter');
    // Sent: the composer empties; refused: it says why.
    // Polled from here, not with a string predicate: that is eval'ed in the page, which the console's CSP forbids.
    const errorBox = this.page.locator('#composer-error');
    for (const end = Date.now() + 5000; ; ) {
      if ((await input.inputValue()) === '' || ((await errorBox.textContent()) ?? '') !== '') break;
      if (Date.now() > end) throw new Error(`the console neither sent nor refused ${text}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const error = await this.page.locator('#composer-error').textContent();
    if (error) throw new Error(`the console refused ${text}: ${error}`);
  }

  /** Messages (and ephemerals) in the pane that contain `text`. */
  message(text: string | RegExp): Locator {
    return this.pane.locator('article.sb-msg').filter({ hasText: text });
  }

  /** A Block Kit button by its label: the newest one in the pane, or in `within`. */
  button(label: string | RegExp, options: { within?: Locator } = {}): Locator {
    return (options.within ?? this.pane).locator('button[data-action]').filter({ hasText: label }).last();
  }

  async clickButton(label: string | RegExp, options: { within?: Locator } = {}): Promise<void> {
    await this.button(label, options).click();
  }

  /** Accepts the confirm dialog a button opened; returns its title. */
  async confirm(): Promise<string> {
    const dialog = this.page.locator('#confirm');
    await dialog.waitFor({ state: 'visible' });
    const title = (await this.page.locator('#confirm-title').textContent()) ?? '';
    await this.page.locator('#confirm-ok').click();
    await dialog.waitFor({ state: 'hidden' });
    return title;
  }

  /** The open modal (waits for it). */
  async modal(): Promise<Locator> {
    const modal = this.page.locator('#modal');
    await modal.waitFor({ state: 'visible' });
    return modal;
  }

  async closeModal(): Promise<void> {
    await this.page.locator('#modal-x').click();
    await this.page.locator('#modal').waitFor({ state: 'hidden' });
  }

  async openInbox(): Promise<void> {
    await this.page.locator('[data-tab=inbox]').click();
  }

  /** Opens the newest email whose entry matches `subject` (and `to`); returns the href of its first link. */
  async openMail(subject: RegExp, to?: string): Promise<string> {
    await this.openInbox();
    let entry = this.page.locator('[data-mail]').filter({ hasText: subject });
    if (to) entry = entry.filter({ hasText: to });
    await entry.first().click();
    const link = this.page.frameLocator('iframe#mail').locator('a[href]').first();
    await link.waitFor();
    const href = await link.getAttribute('href');
    if (!href) throw new Error(`no link in the email ${String(subject)}`);
    return href;
  }

  /** A demo secret from the People tab. */
  async secret(personId: string, kind: SecretKind): Promise<string> {
    await this.page.locator('[data-tab=people]').click();
    const code = this.page.locator(`li[data-person="${personId}"] code[data-secret="${kind}"]`);
    const text = (await code.textContent()) ?? '';
    await this.page.locator('[data-tab=inbox]').click();
    return text;
  }

  /** What the renderer could not show, in the pane or the modal (should be nothing). */
  async rendererWarnings(): Promise<string[]> {
    return this.page.locator('.bk-unknown, .sb-warnings').allTextContents();
  }
}
