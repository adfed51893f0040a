// How the CLI speaks: exit codes, the one-line error, --json documents, tables, and the
// view of an account it may show (never a hash, a sealed secret or a token).
import type { Refusal } from '../core/refusal.js';
import type { AccountRow } from '../store/schema.js';
import { hasSecondFactor, mfaMethodOf } from '../core/second-factor.js';

export const EXIT_OK = 0;
/** The operation was refused or failed. */
export const EXIT_REFUSED = 1;
/** Usage or configuration error (also: the store or Redis can't be reached). */
export const EXIT_USAGE = 2;

/** An expected failure: printed as one line on stderr (and as JSON with --json), no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_REFUSED,
    /** A stable code for scripts (a core refusal's code, or the CLI's own). */
    readonly code: string = 'failed',
    /** More for --json (e.g. the bad rows of an import). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function refused(refusal: Refusal, subject?: string): CliError {
  const message = refusal.message('en');
  return new CliError(subject ? `${subject}: ${message}` : message, EXIT_REFUSED, refusal.code);
}

export interface OutputMode {
  json: boolean;
}

/** Prints a command's result: the JSON document with --json, else the human lines. */
export function emit(mode: OutputMode, json: Record<string, unknown>, human: string | string[]): void {
  if (mode.json) {
    process.stdout.write(JSON.stringify({ ok: true, ...json }, null, 2) + '\n');
  } else {
    const lines = Array.isArray(human) ? human : [human];
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  }
}

/** For humans: "2026-11-25 10:30 UTC". */
export function humanTime(ms: number | null): string {
  if (ms === null) return '-';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A left-aligned table with a header row; cells are single-line. */
export function table(header: string[], rows: string[][]): string[] {
  const clean = (s: string) => s.replace(/[\r\n\t]+/g, ' ');
  const all = [header, ...rows].map((r) => r.map(clean));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function statusText(a: Pick<AccountRow, 'status' | 'disabled_reason'>): string {
  return a.status === 'disabled' && a.disabled_reason ? `disabled (${a.disabled_reason})` : a.status;
}

export function phoneText(a: Pick<AccountRow, 'phone' | 'extension'>): string | null {
  if (!a.phone) return null;
  return a.extension ? `${a.phone}#${a.extension}` : a.phone;
}

/** The fields of an account the CLI shows. Hashes and sealed secrets become yes/no at most. */
export function accountView(a: AccountRow, now: number) {
  return {
    id: a.id,
    email: a.email,
    name: a.display_name,
    role: a.role,
    locale: a.locale,
    localeChosen: a.locale_chosen === 1,
    status: a.status,
    disabledReason: a.disabled_reason,
    disabledNote: a.disabled_note,
    phone: a.phone,
    extension: a.extension || null,
    slackUserId: a.slack_user_id,
    locked: a.locked_until !== null && a.locked_until > now,
    lockedUntil: isoTime(a.locked_until !== null && a.locked_until > now ? a.locked_until : null),
    failedAttempts: a.failed_count,
    passwordSet: a.password_hash !== null,
    mustChangePassword: a.must_change_password === 1,
    mfaEnrolled: hasSecondFactor(a),
    mfaMethod: mfaMethodOf(a),
    createdAt: isoTime(a.created_at),
    updatedAt: isoTime(a.updated_at),
  };
}
export type AccountView = ReturnType<typeof accountView>;

/** The one line for an error that is not a CliError: its message, never its stack. */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return err.message.trim() || (typeof code === 'string' ? code : err.name);
  }
  return String(err);
}
