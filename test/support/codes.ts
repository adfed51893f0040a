// Where the app's one-time codes land in tests, read as a person would read them: the
// email (SMTP sink or .eml outbox) and the SMS outbox file DATA_DIR/outbox/<id>.sms.json.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CoreDeps } from '../../src/core/deps.js';
import { webActor } from '../../src/core/deps.js';
import { beginCodeEnrolment, confirmCodeEnrolment } from '../../src/core/mfa.js';
import { CODE_SEND_WINDOW_MS } from '../../src/core/otp-codes.js';
import type { ManualClock } from '../../src/core/clock.js';
import { issueToken } from '../../src/core/tokens.js';
import type { OtpChannel } from '../../src/core/types.js';
import type { SmtpSink } from './smtp-sink.js';
import type { SeededAccount } from './app.js';
import { waitFor } from './wait.js';

/** The code an otp_code email carries (the line after "Your one-time code is:"). */
export function codeOfEmail(text: string): string | undefined {
  return /one-time code is:\s*(\d{6})\b/.exec(text)?.[1];
}

/** The code an SMS text carries ("keydesk code: 123456. …"). */
export function codeOfSms(text: string): string | undefined {
  return /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1];
}

export interface OutboxSms {
  file: string;
  to: string;
  text: string;
  at: string;
}

/** Every SMS the outbox transport wrote, oldest first (by their `at`, then file name). */
export async function readSmsOutbox(dataDir: string): Promise<OutboxSms[]> {
  const dir = path.join(dataDir, 'outbox');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.sms.json'));
  const all = await Promise.all(
    names.map(async (file) => ({ file, ...(JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Omit<OutboxSms, 'file'>) })),
  );
  return all.sort((a, b) => a.at.localeCompare(b.at) || a.file.localeCompare(b.file));
}

/** Waits for the (skip+1)-th SMS to `to` and returns its code. */
export async function waitForSmsCode(dataDir: string, to: string, skip = 0, timeoutMs = 10_000): Promise<string> {
  return waitFor(async () => {
    const found = (await readSmsOutbox(dataDir)).filter((m) => m.to === to)[skip];
    return found ? codeOfSms(found.text) : undefined;
  }, timeoutMs);
}

/** Waits for the (skip+1)-th email to `to` that carries a code, and returns the code. */
export async function waitForEmailCode(sink: SmtpSink, to: string, skip = 0, timeoutMs = 10_000): Promise<string> {
  return waitFor(() => {
    const found = sink.messages.filter((m) => m.to.includes(to) && codeOfEmail(m.text) !== undefined)[skip];
    return found ? codeOfEmail(found.text) : undefined;
  }, timeoutMs);
}

/** How many code emails the sink received for `to`. */
export function emailCodesTo(sink: SmtpSink, to: string): number {
  return sink.messages.filter((m) => m.to.includes(to) && codeOfEmail(m.text) !== undefined).length;
}

/**
 * Enrols an account on a code method through its enrolment link (as the page does), reading
 * the first code where it landed; then moves the clock past the send window, so the
 * enrolment's send does not count against what the test measures.
 */
export async function enrolByCode(
  deps: CoreDeps,
  clock: ManualClock,
  user: SeededAccount,
  channel: OtpChannel,
  codeFor: (skip: number) => Promise<string>,
  already = 0,
): Promise<void> {
  const link = await issueToken(deps, user.id, 'mfa_enrol');
  const actor = webActor('192.0.2.50');
  const sent = await beginCodeEnrolment(deps, link.secret, { password: user.password, securityAnswer: user.answer }, channel, actor);
  if (!sent.ok) throw new Error(`enrolment refused: ${sent.code}`);
  const done = await confirmCodeEnrolment(deps, actor, link.secret, channel, await codeFor(already));
  if (!done.ok) throw new Error(`enrolment not confirmed: ${done.code}`);
  clock.advance(CODE_SEND_WINDOW_MS + 1);
}
