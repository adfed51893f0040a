// Expected outcomes the core refuses (wrong password, token used, policy too short, …)
// are values, not exceptions: a Refusal carries a stable code for programs and a
// message in each locale for people. Only bugs and infrastructure failures throw.
import { translate } from '../i18n/index.js';
import type { RefusalCode } from './messages.js';
import type { Locale } from './types.js';

export type Params = Record<string, string | number>;

export class Refusal {
  readonly ok = false as const;
  constructor(
    readonly code: RefusalCode,
    readonly params: Params = {},
  ) {}

  message(locale: Locale = 'en'): string {
    return translate(locale, `refusal.${this.code}`, this.params);
  }
}

export const refuse = (code: RefusalCode, params?: Params): Refusal => new Refusal(code, params);

export type Ok<T> = { ok: true } & T;
export type Outcome<T = object> = Ok<T> | Refusal;

export const ok = <T extends object>(value: T = {} as T): Ok<T> => ({ ok: true, ...value });
