// The console's side panes, rendered on the server: the Web API calls the app made (with
// Block Kit violations in red), the inbox, and the people list with their demo secrets.
import { totpCodeAt } from '../../core/totp.js';
import type { RecordedCall } from '../slack-emulator.js';
import { SANDBOX_PEOPLE } from '../people.js';
import type { SeedFile } from '../seed.js';
import { blockKitViolation } from './call-checks.js';
import type { InboxItem } from './inbox.js';
import { escapeHtml } from './render-mrkdwn.js';

const CALLS_SHOWN = 200;

export function callsHtml(calls: readonly RecordedCall[]): { html: string; count: number; bad: number } {
  let bad = 0;
  const rows = calls.map((call, i) => {
    const violation = blockKitViolation(call);
    const failed = !call.ok || violation !== null;
    if (failed) bad += 1;
    const status = call.ok ? 'ok' : escapeHtml(call.error ?? 'error');
    const time = new Date(call.at).toISOString().slice(11, 23);
    const problem = violation ? `<p class="sb-violation">Block Kit: ${escapeHtml(violation)}</p>` : '';
    return `<details class="sb-call${failed ? ' sb-call-bad' : ''}" data-n="${i}"><summary><span class="sb-call-n">${i + 1}</span> <time>${time}</time> <b>${escapeHtml(call.method)}</b> <span class="sb-call-status">${status}</span></summary>${problem}<pre>${escapeHtml(JSON.stringify(call.args, null, 2))}</pre></details>`;
  });
  const shown = rows.slice(-CALLS_SHOWN).reverse();
  const more = rows.length > CALLS_SHOWN ? `<p class="sb-muted">…and ${rows.length - CALLS_SHOWN} older calls.</p>` : '';
  return { html: shown.join('') + more || '<p class="sb-empty">No Web API calls yet.</p>', count: calls.length, bad };
}

export function inboxHtml(items: readonly InboxItem[], myEmail: string): string {
  if (items.length === 0) return '<p class="sb-empty">No email yet. Try /password → "I forgot my password".</p>';
  return items
    .map((m) => {
      const mine = m.to.toLowerCase().includes(myEmail.toLowerCase());
      return `<button type="button" class="sb-mail${mine ? ' sb-mail-mine' : ''}" data-mail="${escapeHtml(m.id)}"><span class="sb-mail-to">${m.kind === 'sms' ? '📱 ' : ''}${escapeHtml(m.to)}</span><span class="sb-mail-subject">${escapeHtml(m.subject)}</span><time>${escapeHtml(m.at.slice(0, 16).replace('T', ' '))} UTC</time></button>`;
    })
    .join('');
}

/** The one place demo secrets are shown: this is a sandbox, and each person is made up. */
export async function peopleHtml(seed: SeedFile | null, nowMs: number): Promise<string> {
  const rows = await Promise.all(
    SANDBOX_PEOPLE.map(async (p) => {
      const s = p.state === 'pending_activation' ? undefined : seed?.people[p.slackId];
      const code = s?.totpSecret ? await totpCodeAt(s.totpSecret, nowMs) : null;
      const secret = (label: string, value: string | undefined, kind: string) =>
        value ? `<dt>${label}</dt><dd><code data-secret="${kind}">${escapeHtml(value)}</code></dd>` : '';
      return `<li class="sb-person" data-person="${escapeHtml(p.slackId)}"><span class="sb-avatar" style="background:${escapeHtml(p.color)}">${escapeHtml(p.initials)}</span><div><b>${escapeHtml(p.name)}</b> <span class="sb-muted">${escapeHtml(p.label)} · ${escapeHtml(p.tz)}</span><dl>${secret('Email', p.email, 'email')}${p.state === 'pending_activation' ? '<dt>Password</dt><dd>not set yet: the activation email is in the inbox</dd>' : secret('Password', s?.password, 'password')}${secret('PIN', s?.pin, 'pin')}${s ? `<dt>Question</dt><dd>${escapeHtml(s.question)}</dd>` : ''}${secret('Answer', s?.answer, 'answer')}${secret('Authenticator secret', s?.totpSecret, 'totp')}${code ? `<dt>Code now</dt><dd><code data-secret="code">${code}</code></dd>` : ''}</dl></div></li>`;
    }),
  );
  return `<p class="sb-muted">Demo credentials, shown only here (seeded ${escapeHtml(seed?.seededAt ?? 'not yet')}). Changing a password on the pages does not update this list.</p><ul class="sb-people">${rows.join('')}</ul>`;
}
