// `keydesk user import <csv>`: every row is checked before anything is written — the
// core's field rules, the role and locale lists, duplicates inside the file, and
// accounts that already hold an email, phone + extension or Slack id. One bad row and
// the whole file is refused, each bad row named as a person counts it (header = row 1).
import { z } from 'zod';
import { validateNewAccount, type NewAccount, type ValidAccountFields } from '../core/accounts.js';
import { EMAIL_KEY } from '../store/accounts.js';
import type { Store } from '../store/db.js';
import { LOCALES, ROLES, SLACK_USER_ID } from './choices.js';
import { CsvError, parseCsv } from './csv.js';

export const IMPORT_COLUMNS = ['email', 'name', 'phone', 'extension', 'role', 'locale', 'slack_user_id'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['email', 'name'];

export interface ImportRow {
  /** The row in the file (header = 1). */
  row: number;
  input: NewAccount;
  fields: ValidAccountFields;
}

export interface RowProblem {
  row: number;
  reasons: string[];
}

export type ImportPlan = { ok: true; rows: ImportRow[] } | { ok: false; problems: RowProblem[] };

const FIELD_OF_REFUSAL: Record<string, Column> = {
  invalid_email: 'email',
  invalid_name: 'name',
  invalid_phone: 'phone',
  invalid_extension: 'extension',
};

/** An empty cell takes the default (user, en); anything else must be one of the list. */
const ROLE_CELL = z.union([z.literal('').transform(() => undefined), z.enum(ROLES)]);
const LOCALE_CELL = z.union([z.literal('').transform(() => undefined), z.enum(LOCALES)]);

const phoneKey = (f: Pick<ValidAccountFields, 'phone' | 'extension'>) => (f.extension ? `${f.phone}#${f.extension}` : f.phone!);

/** Reads and checks a whole file; writes nothing. */
export async function planImport(db: Store, text: string, defaultRegion: string): Promise<ImportPlan> {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, problems: [{ row: err.row, reasons: [err.reason] }] };
    throw err;
  }

  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const headerReasons: string[] = [];
  if (header.length === 0 || header.every((h) => h === '')) {
    headerReasons.push(`the first row must name the columns: ${IMPORT_COLUMNS.join(',')}`);
  } else {
    for (const [i, name] of header.entries()) {
      if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) {
        headerReasons.push(`unknown column "${name}" (the columns are ${IMPORT_COLUMNS.join(', ')})`);
      } else if (header.indexOf(name) !== i) {
        headerReasons.push(`column "${name}" appears twice`);
      }
    }
    for (const name of REQUIRED) if (!header.includes(name)) headerReasons.push(`the column "${name}" is required`);
  }
  if (headerReasons.length) return { ok: false, problems: [{ row: 1, reasons: headerReasons }] };

  const problems: RowProblem[] = [];
  const rows: ImportRow[] = [];
  const seen = { email: new Map<string, number>(), phone: new Map<string, number>(), slack: new Map<string, number>() };

  for (const [index, record] of records.entries()) {
    if (index === 0 || record.every((cell) => cell.trim() === '')) continue; // header, blank lines
    const row = index + 1;
    const reasons: string[] = [];
    if (record.length !== header.length) {
      problems.push({ row, reasons: [`has ${record.length} fields where the header has ${header.length}`] });
      continue;
    }
    const cell = (name: Column) => {
      const i = header.indexOf(name);
      return i < 0 ? '' : record[i]!.trim();
    };

    // Parsed into core's types here, so what reaches the store is a Role and a Locale.
    const role = ROLE_CELL.safeParse(cell('role').toLowerCase());
    if (!role.success) reasons.push(`role "${cell('role')}" is not one of ${ROLES.join(', ')}`);
    const locale = LOCALE_CELL.safeParse(cell('locale').toLowerCase());
    if (!locale.success) reasons.push(`locale "${cell('locale')}" is not one of ${LOCALES.join(', ')}`);
    const slack = cell('slack_user_id');
    if (slack && !SLACK_USER_ID.test(slack)) reasons.push(`slack_user_id "${slack}" is not a Slack user id (U… or W…)`);

    const input: NewAccount = {
      email: cell('email'),
      displayName: cell('name'),
      phone: cell('phone') || null,
      extension: cell('extension') || null,
      role: role.data,
      locale: locale.data,
      slackUserId: slack || null,
    };
    const valid = validateNewAccount(input, defaultRegion);
    if (!valid.ok) {
      const column = FIELD_OF_REFUSAL[valid.code];
      const value = column ? cell(column) : '';
      reasons.push(`${column ?? 'row'}${value ? ` "${value}"` : ''}: ${valid.message('en')}`);
    } else {
      const f = valid.fields;
      const again = (map: Map<string, number>, key: string | null, what: string) => {
        if (!key) return;
        const first = map.get(key);
        if (first !== undefined) reasons.push(`${what} ${key} is also on row ${first}`);
        else map.set(key, row);
      };
      again(seen.email, f.email, 'email');
      again(seen.phone, f.phone ? phoneKey(f) : null, 'phone');
      again(seen.slack, f.slackUserId, 'slack_user_id');
      if (reasons.length === 0) rows.push({ row, input, fields: f });
    }
    if (reasons.length) problems.push({ row, reasons });
  }

  // Accounts already in the store, looked up in batches.
  for (const [row, reason] of await conflictsWithStore(db, rows)) {
    const existing = problems.find((p) => p.row === row);
    if (existing) existing.reasons.push(reason);
    else problems.push({ row, reasons: [reason] });
  }
  problems.sort((a, b) => a.row - b.row);
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}

async function conflictsWithStore(db: Store, rows: ImportRow[]): Promise<[number, string][]> {
  const found: [number, string][] = [];
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const emails = batch.map((r) => r.fields.email);
    const phones = batch.filter((r) => r.fields.phone).map((r) => r.fields.phone!);
    const slacks = batch.filter((r) => r.fields.slackUserId).map((r) => r.fields.slackUserId!);

    const takenEmails = new Set(
      (await db.selectFrom('accounts').select('email').where(EMAIL_KEY, 'in', emails).execute()).map((a) => a.email),
    );
    const takenPhones = new Set(
      phones.length
        ? (await db.selectFrom('accounts').select(['phone', 'extension']).where('phone', 'in', phones).execute()).map((a) =>
            phoneKey({ phone: a.phone, extension: a.extension }),
          )
        : [],
    );
    const takenSlacks = new Set(
      slacks.length
        ? (await db.selectFrom('accounts').select('slack_user_id').where('slack_user_id', 'in', slacks).execute()).map(
            (a) => a.slack_user_id,
          )
        : [],
    );
    for (const { row, fields: f } of batch) {
      if (takenEmails.has(f.email)) found.push([row, `an account with email ${f.email} already exists`]);
      if (f.phone && takenPhones.has(phoneKey(f))) found.push([row, `an account with phone ${phoneKey(f)} already exists`]);
      if (f.slackUserId && takenSlacks.has(f.slackUserId)) {
        found.push([row, `an account with slack_user_id ${f.slackUserId} already exists`]);
      }
    }
  }
  return found;
}
