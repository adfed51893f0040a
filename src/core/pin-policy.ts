// PIN rules: a PIN is a second factor typed on the reset and change pages, so it only
// has to resist the first guesses people make: 4–8 digits, not 0000, not 1234 or 9876.
import { refuse, type Refusal } from './refusal.js';

export function checkPin(pin: string): Refusal | null {
  if (!/^[0-9]{4,8}$/.test(pin)) return refuse('pin_format');
  if (/^(\d)\1+$/.test(pin)) return refuse('pin_repeated');
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => d - (digits[i] ?? 0));
  // Straight runs only: 7890 (wrapping past 9) is allowed.
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return refuse('pin_sequence');
  return null;
}
