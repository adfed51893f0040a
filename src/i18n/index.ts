// The one lookup of keydesk's words: translate(locale, key, params) over one typed catalogue
// per language (en.ts, fr.ts, each combining one file per surface under en/ and fr/). Core
// refusals, pages, emails and the Slack blocks (through say() in handlers/blocks/words.ts) use it.
// This folder imports nothing from web, mail, Slack or handlers, and from core only the
// Locale type, so any layer may use it.
import type { Locale } from '../core/types.js';
import { en } from './en.js';
import { fr } from './fr.js';

export type MessageKey = keyof typeof en;
export type Params = Readonly<Record<string, string | number>>;

export const CATALOGUES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { en, fr };

/** The keys under one surface, without its prefix: KeysUnder<'page.'> is 'loginTitle' | … */
export type KeysUnder<Prefix extends string> = MessageKey extends infer K ? (K extends `${Prefix}${infer Rest}` ? Rest : never) : never;

const PLACEHOLDER = /\{(\w+)\}/g;

/** The entry for `key` in `locale`, each `{name}` replaced by params.name (kept as is when absent). */
export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  return CATALOGUES[locale][key].replace(PLACEHOLDER, (whole, name: string) => String(params[name] ?? whole));
}

/** The `{name}`s an entry takes, sorted, once each. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort();
}
