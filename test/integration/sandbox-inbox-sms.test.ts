// The sandbox inbox shows SMS codes next to emails: what the SMS outbox transport writes
// (DATA_DIR/outbox/<id>.sms.json) is listed as an `sms` item, newest first among the
// outbox mailer's .eml files; a retried SMS (the same job id) is one item; a stray or
// half-written file is skipped, not an error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxMailer } from '../../src/mail/outbox-mailer.js';
import { Inbox } from '../../src/sandbox/console/inbox.js';
import { createOutboxSms } from '../../src/sms/outbox-sms.js';

describe('the sandbox inbox and the SMS outbox', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'keydesk-inbox-sms-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists SMS and emails together, newest first; a retried SMS once', async () => {
    const mailer = createOutboxMailer({ dataDir, now: () => new Date('2026-12-03T08:00:00Z') });
    await mailer.send({ messageId: '<email-1@example.com>', from: 'keydesk <keydesk@example.com>', to: 'ada@example.com', subject: 'keydesk: Your keydesk code', text: 'Your one-time code is:\n\n123456\n' });
    await mailer.close();
    const sms = createOutboxSms({ dataDir, now: () => new Date('2026-12-03T08:01:00Z') });
    await sms.send({ id: 'job-7', to: '+33612345678', text: 'keydesk code: 654321. It works once, for 10 minutes. Never share it.' });
    await sms.send({ id: 'job-7', to: '+33612345678', text: 'keydesk code: 654321. It works once, for 10 minutes. Never share it.' });
    writeFileSync(path.join(dataDir, 'outbox', 'broken.sms.json'), '{"to": "+3361');

    const items = await new Inbox(path.join(dataDir, 'outbox')).list();
    expect(items.map((i) => [i.kind, i.to, i.subject])).toEqual([
      ['sms', '+33612345678', 'SMS'],
      ['email', 'ada@example.com', 'keydesk: Your keydesk code'],
    ]);
    expect(items[0]).toMatchObject({ id: 'job-7.sms.json', at: '2026-12-03T08:01:00.000Z', text: 'keydesk code: 654321. It works once, for 10 minutes. Never share it.' });
  });
});
