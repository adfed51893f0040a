// The shapes an environment variable can take, as zod schemas: an empty string counts as
// unset, so `FOO=` in a .env file means "use the default".
import { z } from 'zod';

export const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const optionalString = () => z.preprocess(emptyAsUndefined, z.string().optional());
export const int = (min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).optional());
export const url = (protocols: RegExp) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => {
        try {
          return protocols.test(new URL(v).protocol);
        } catch {
          return false;
        }
      })
      .optional(),
  );
export const base64Key = () =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32)
      .optional(),
  );
