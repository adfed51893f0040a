// The console's HTTP routes, mounted on keydesk's own server by the sandbox only (never by
// `npm start`): the page, its two static files, a long-polled state, the people's actions
// (each becomes a signed Slack request, see console-actions.ts), the panes and the emails.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { json, type Route, type WebRequest, type WebResponse } from '../../web/http.js';
import { personBySlackId, SANDBOX_PEOPLE, type SandboxPerson } from '../people.js';
import { readSeedFile } from '../seed.js';
import type { ConsoleActions, ConsoleOutcome, SlashCommand } from './console-actions.js';
import type { ConsoleState } from './console-state.js';
import { snapshot } from './console-view.js';
import type { Inbox } from './inbox.js';
import { consolePage } from './page.js';
import { escapeHtml } from './render-mrkdwn.js';
import { callsHtml, inboxHtml, peopleHtml } from './panes.js';

export interface ConsoleDeps {
  state: ConsoleState;
  actions: ConsoleActions;
  inbox: Inbox;
  commands: readonly SlashCommand[];
  dataDir: string;
  mode: 'http' | 'socket';
  /** `127.0.0.1:3000`, `localhost:3000`: the Host headers the console answers (no DNS rebinding). */
  hosts: readonly string[];
}

const ASSETS: Record<string, string> = { 'console.js': 'text/javascript; charset=utf-8', 'console.css': 'text/css; charset=utf-8' };
const LONG_POLL_MS = 20_000;
const personId = z.string().refine((id) => personBySlackId(id) !== undefined, 'not a sandbox person');

const originSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), channel: z.string().max(40), ts: z.string().max(40) }),
  z.object({ kind: z.literal('ephemeral'), id: z.string().max(40) }),
  z.object({ kind: z.literal('view'), viewId: z.string().max(40) }),
  z.object({ kind: z.literal('none') }),
]);
const actionSchema = z.object({
  type: z.string().max(40),
  action_id: z.string().max(255),
  block_id: z.string().max(255).optional(),
  value: z.string().max(2000).optional(),
  text: z.string().max(200).optional(),
  selected_option: z.object({ text: z.string().max(200), value: z.string().max(200) }).optional(),
  selected_user: z.string().max(40).optional(),
});
const bodies = {
  command: z.object({ as: personId, channel: z.string().max(40), text: z.string().max(4000) }),
  action: z.object({ as: personId, origin: originSchema, action: actionSchema }),
  submit: z.object({ as: personId, viewId: z.string().max(40), values: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))) }),
  close: z.object({ as: personId, viewId: z.string().max(40) }),
  home: z.object({ as: personId, tab: z.enum(['home', 'messages']) }),
};

function viewer(id: string | null): SandboxPerson {
  return (id && personBySlackId(id)) || (SANDBOX_PEOPLE[0] as SandboxPerson);
}

async function parse<T>(req: WebRequest, schema: z.ZodType<T>): Promise<T | WebResponse> {
  let raw: unknown;
  try {
    raw = JSON.parse((await req.body()).toString('utf8'));
  } catch {
    return json(400, { ok: false, message: 'The console sends JSON.' });
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : json(400, { ok: false, message: 'That request does not look like one from the console.' });
}

const isResponse = (v: unknown): v is WebResponse => typeof v === 'object' && v !== null && 'status' in v && typeof (v).status === 'number';

function post<T>(path: string, schema: z.ZodType<T>, run: (body: T) => Promise<ConsoleOutcome>): Route {
  return {
    method: 'POST',
    path,
    maxBody: 64 * 1024,
    async handle(req) {
      // JSON only: another site's page can send a form or text/plain here without asking,
      // but not application/json (the browser asks first, and nothing here says yes).
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return json(415, { ok: false, message: 'The console sends JSON.' });
      const body = await parse(req, schema);
      if (isResponse(body)) return body;
      return json(200, await run(body));
    },
  };
}

/**
 * Anyone who can reach the console can act as anyone and read the demo secrets: it answers
 * only under the host names it was started on, so a page that rebinds its own name to
 * 127.0.0.1 gets nothing.
 */
function onlyFor(hosts: readonly string[], route: Route): Route {
  return {
    ...route,
    handle(req) {
      if (!hosts.includes((req.headers.host ?? '').toLowerCase())) return json(421, { error: 'misdirected_request', message: 'The sandbox answers at 127.0.0.1 or localhost only.' });
      return route.handle(req);
    },
  };
}

export function consoleRoutes(deps: ConsoleDeps): Route[] {
  return routes(deps).map((r) => onlyFor(deps.hosts, r));
}

function routes(deps: ConsoleDeps): Route[] {
  const { state, actions } = deps;
  const me = (id: string) => viewer(id);
  return [
    { method: 'GET', path: '/sandbox', handle: () => html(consolePage({ commands: deps.commands, mode: deps.mode })) },
    {
      method: 'GET',
      path: '/sandbox/assets/:file',
      async handle(req) {
        const file = req.params.file ?? '';
        const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
        if (!type) return json(404, { error: 'not_found' });
        const body = await readFile(new URL(`./assets/${req.params.file}`, import.meta.url));
        return { status: 200, headers: { 'content-type': type, 'cache-control': 'no-cache' }, body };
      },
    },
    {
      method: 'GET',
      path: '/sandbox/api/state',
      async handle(req) {
        const seen = Number(req.query.get('v') ?? 'NaN');
        if (Number.isInteger(seen)) await state.waitForChange(seen, LONG_POLL_MS);
        return json(200, snapshot(state, viewer(req.query.get('as')), req.query.get('pane') ?? ''));
      },
    },
    {
      method: 'GET',
      path: '/sandbox/api/panes',
      async handle(req) {
        const person = viewer(req.query.get('as'));
        return json(200, {
          calls: callsHtml(state.emulator.calls),
          inbox: inboxHtml(await deps.inbox.list(), person.email),
          people: await peopleHtml(await readSeedFile(deps.dataDir), Date.now()),
        });
      },
    },
    post('/sandbox/api/command', bodies.command, (b) => actions.command(me(b.as), b.channel, b.text)),
    post('/sandbox/api/action', bodies.action, (b) => actions.action(me(b.as), b.origin, b.action)),
    post('/sandbox/api/submit', bodies.submit, (b) => actions.submit(me(b.as), b.viewId, b.values)),
    post('/sandbox/api/close', bodies.close, (b) => actions.close(me(b.as), b.viewId)),
    post('/sandbox/api/home', bodies.home, (b) => actions.openHome(me(b.as), b.tab)),
    {
      method: 'GET',
      path: '/sandbox/mail/:id',
      async handle(req) {
        const item = await deps.inbox.get(req.params.id ?? '');
        if (!item) return json(404, { error: 'not_found' });
        // keydesk's own template, framed: links open the pages in a new tab of the same browser.
        const page = item.html ?? `<pre>${escapeHtml(item.text)}</pre>`;
        return {
          status: 200,
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'self'",
          },
          body: `<!doctype html><base target="_blank">${page}`,
        };
      },
    },
  ];
}

function html(body: string): WebResponse {
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; base-uri 'none'; form-action 'self'",
    },
    body,
  };
}
