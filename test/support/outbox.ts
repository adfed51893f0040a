// Reads the .eml files the outbox mailer wrote, for tests that follow emailed links.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseOutboxMessage } from '../../src/mail/outbox-mailer.js';

export interface OutboxMessage {
  file: string;
  to: string;
  subject: string;
  text: string;
}

export async function readOutbox(dataDir: string): Promise<OutboxMessage[]> {
  const dir = path.join(dataDir, 'outbox');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
  return Promise.all(
    names.map(async (file) => {
      const { headers, text } = parseOutboxMessage(await readFile(path.join(dir, file)));
      return { file, to: headers.to ?? '', subject: headers.subject ?? '', text };
    }),
  );
}

/** Waits for an email to `to` whose text matches `pattern`; returns the first capture group. */
export async function waitForEmail(dataDir: string, to: string, pattern: RegExp, skip = 0, timeoutMs = 5000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const matches = (await readOutbox(dataDir)).filter((m) => m.to.includes(to)).map((m) => pattern.exec(m.text)).filter(Boolean);
    const found = matches[skip];
    if (found) return found[1] ?? found[0];
    if (Date.now() > end) throw new Error(`no email to ${to} matching ${pattern}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
