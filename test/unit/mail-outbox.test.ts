import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/mail/mailer.js';
import { createOutboxMailer, messageIdFileStem, parseOutboxMessage } from '../../src/mail/outbox-mailer.js';

const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  messageId: '<email-0b5c@example.com>',
  from: 'keydesk <keydesk@example.com>',
  to: 'zoé@example.com',
  subject: 'keydesk: Réinitialisez votre mot de passe',
  text: `Bonjour,\n\nhttps://keydesk.test/reset/${'x'.repeat(120)}?a=1&b=2\n\n— keydesk 🔐\n`,
  ...over,
});

describe('outbox mailer', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-outbox-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes one RFC 822 file per message, named by time and Message-ID, readable back', async () => {
    const mailer = createOutboxMailer({ dataDir, now: () => new Date(Date.UTC(2026, 10, 25, 10, 0, 0, 7)) });
    await mailer.send(message());
    await mailer.close();
    const files = readdirSync(path.join(dataDir, 'outbox'));
    expect(files).toEqual(['2026-11-25T10-00-00-007Z-email-0b5c@example.com.eml']);
    const file = path.join(dataDir, 'outbox', files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = readFileSync(file, 'utf8');
    expect(raw).toMatch(/^Message-ID: <email-0b5c@example\.com>$/m);
    expect(raw).toMatch(/^Date: Wed, 25 Nov 2026 10:00:00 \+0000$/m);
    expect(raw).toMatch(/^MIME-Version: 1\.0$/m);
    const parsed = parseOutboxMessage(raw);
    expect(parsed.headers.subject).toBe('keydesk: Réinitialisez votre mot de passe');
    expect(parsed.headers.to).toBe(message().to);
    expect(parsed.text).toBe(message().text);
  });

  it('overwrites the file when the same Message-ID is sent again, later', async () => {
    let t = Date.UTC(2026, 10, 25, 10, 0, 0);
    const mailer = createOutboxMailer({ dataDir, now: () => new Date((t += 60_000)) });
    await mailer.send(message({ text: 'first try\n' }));
    await mailer.send(message({ text: 'second try\n' }));
    await mailer.send(message({ messageId: '<email-other@example.com>' }));
    const files = readdirSync(path.join(dataDir, 'outbox')).sort();
    expect(files).toEqual([
      '2026-11-25T10-01-00-000Z-email-0b5c@example.com.eml',
      '2026-11-25T10-03-00-000Z-email-other@example.com.eml',
    ]);
    expect(parseOutboxMessage(readFileSync(path.join(dataDir, 'outbox', files[0]!))).text).toBe('second try\n');
  });

  it('keeps no temp files, and sends html alongside text when given', async () => {
    const mailer = createOutboxMailer({ dataDir });
    await Promise.all([1, 2, 3].map((n) => mailer.send(message({ messageId: `<email-${n}@example.com>`, html: '<p>hi</p>' }))));
    const files = readdirSync(path.join(dataDir, 'outbox'));
    expect(files).toHaveLength(3);
    expect(files.every((f) => f.endsWith('.eml'))).toBe(true);
    expect(readFileSync(path.join(dataDir, 'outbox', files[0]!), 'utf8')).toMatch(/multipart\/alternative/);
  });

  it('makes a safe file name from any Message-ID', () => {
    expect(messageIdFileStem('<email-1@keydesk>')).toBe('email-1@keydesk');
    expect(messageIdFileStem('<../../etc/passwd@x>')).toBe('.._.._etc_passwd@x');
    expect(() => messageIdFileStem('<>')).toThrow();
    expect(() => messageIdFileStem('<..>')).toThrow();
  });
});
