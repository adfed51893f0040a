// Every refusal the core can give is a `refusal.<code>` entry of the catalogue: its words,
// in English and French, are in src/i18n/en.ts and fr.ts. `{name}` is a parameter.
import type { KeysUnder } from '../i18n/index.js';

export type RefusalCode = KeysUnder<'refusal.'>;
