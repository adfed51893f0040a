// Reading a Web API call the way Slack does: form-encoded or JSON arguments (plus the
// query), the fields clients send as JSON strings parsed (a malformed one gets Slack's own
// error), and a 5 MiB cap on the body.
import type { IncomingMessage } from 'node:http';
import type { Args, SlackResponse } from './slack-methods.js';

/** Fields Slack's clients send as JSON strings, and the error a malformed one gets. */
const JSON_FIELDS: Record<string, string> = {
  blocks: 'invalid_blocks_format', attachments: 'invalid_attachments', view: 'invalid_arguments', metadata: 'invalid_metadata_format',
};
const MAX_BODY = 5 * 1024 * 1024;

export type Parsed = { args: Args; error?: undefined } | { error: string; args?: undefined };

export function parseBody(raw: string, contentType: string, query: URLSearchParams): Parsed {
  const args: Args = Object.fromEntries(query);
  if (raw.length > 0) {
    if (contentType.includes('application/json')) {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return { error: 'invalid_json' };
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'invalid_json' };
      Object.assign(args, body);
    } else if (contentType.includes('multipart/form-data')) {
      return { error: 'invalid_form_data' };
    } else {
      Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
    }
  }
  for (const [field, error] of Object.entries(JSON_FIELDS)) {
    const v = args[field];
    if (typeof v !== 'string') continue;
    try {
      args[field] = JSON.parse(v);
    } catch {
      return { error };
    }
  }
  return { args };
}

export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Slack's error answer, with the detail Slack puts in response_metadata. */
export const fail = (error: string, detail?: string): SlackResponse =>
  detail ? { ok: false, error, response_metadata: { messages: [`[ERROR] ${detail}`] } } : { ok: false, error };

/** A string argument (numbers as Slack's clients send them), or undefined when absent or empty. */
export const str = (args: Args, key: string): string | undefined => {
  const v = args[key];
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
};
