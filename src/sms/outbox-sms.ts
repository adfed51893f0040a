// The SMS transport for machines without a gateway: each message becomes
// `<dataDir>/outbox/<id>.sms.json` holding `{to, text, at}` (the sandbox's inbox shows
// them next to the emails). Files appear whole: written to a temp file, then renamed.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SmsMessage, SmsTransport } from './transport.js';

export function createOutboxSms(opts: { dataDir: string; now?: () => Date }): SmsTransport & { dir: string } {
  const dir = path.resolve(opts.dataDir, 'outbox');
  const now = opts.now ?? (() => new Date());
  let ready: Promise<unknown> | undefined;
  return {
    dir,
    async send(msg: SmsMessage): Promise<void> {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const stem = msg.id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
      if (!stem) throw new Error('an SMS needs an id');
      const target = path.join(dir, `${stem}.sms.json`);
      const temp = path.join(dir, `.${stem}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temp, `${JSON.stringify({ to: msg.to, text: msg.text, at: now().toISOString() })}\n`, { mode: 0o600 });
        await rename(temp, target);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
  };
}
