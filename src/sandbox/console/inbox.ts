// The sandbox's inbox: every email the outbox mailer wrote (DATA_DIR/outbox/*.eml), parsed
// with mailparser, newest first; and the SMS codes a later SMS outbox writes
// (*.sms.json `{to, text, at}`), if any. Parsed messages are cached by file name and size.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';

export interface InboxItem {
  id: string;
  kind: 'email' | 'sms';
  to: string;
  subject: string;
  at: string;
  text: string;
  /** The email's HTML part (keydesk's own template), shown in a sandboxed frame. */
  html?: string;
}

const SAFE_ID = /^[A-Za-z0-9._@-]+$/;

export class Inbox {
  private readonly cache = new Map<string, { size: number; item: InboxItem }>();

  constructor(readonly dir: string) {}

  async list(): Promise<InboxItem[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const items: InboxItem[] = [];
    for (const name of names) {
      if (!SAFE_ID.test(name) || name.startsWith('.')) continue;
      if (!name.endsWith('.eml') && !name.endsWith('.sms.json')) continue;
      const item = await this.read(name).catch(() => null);
      if (item) items.push(item);
    }
    return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1));
  }

  async get(id: string): Promise<InboxItem | null> {
    if (!SAFE_ID.test(id)) return null;
    return this.read(id).catch(() => null);
  }

  private async read(name: string): Promise<InboxItem> {
    const file = path.join(this.dir, name);
    const { size } = await stat(file);
    const cached = this.cache.get(name);
    if (cached?.size === size) return cached.item;
    const raw = await readFile(file);
    const item = name.endsWith('.sms.json') ? sms(name, raw.toString('utf8')) : await email(name, raw);
    this.cache.set(name, { size, item });
    return item;
  }
}

async function email(id: string, raw: Buffer): Promise<InboxItem> {
  const parsed = await simpleParser(raw);
  const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
  return {
    id,
    kind: 'email',
    to,
    subject: parsed.subject ?? '(no subject)',
    at: (parsed.date ?? new Date(0)).toISOString(),
    text: parsed.text ?? '',
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
  };
}

function sms(id: string, raw: string): InboxItem {
  const parsed = JSON.parse(raw) as { to?: unknown; text?: unknown; at?: unknown };
  const str = (v: unknown, otherwise: string) => (typeof v === 'string' ? v : otherwise);
  return { id, kind: 'sms', to: str(parsed.to, ''), subject: 'SMS', at: str(parsed.at, new Date(0).toISOString()), text: str(parsed.text, '') };
}
