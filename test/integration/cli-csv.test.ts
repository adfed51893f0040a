// The CLI's CSV reader (in-process: no store, no Redis).
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from '../../src/cli/csv.js';

describe('parseCsv', () => {
  it('reads plain, quoted and empty fields with LF, CRLF or CR line ends', () => {
    expect(parseCsv('a,b,c\n1,,3\n')).toEqual([['a', 'b', 'c'], ['1', '', '3']]);
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\r1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]); // no final line break
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFFemail\nx@y.z\n')).toEqual([['email'], ['x@y.z']]); // byte-order mark
  });

  it('keeps commas, doubled quotes and line breaks inside quotes', () => {
    expect(parseCsv('"Hopper, Grace","Alan ""Prof"" Turing",""\r\n')).toEqual([['Hopper, Grace', 'Alan "Prof" Turing', '']]);
    expect(parseCsv('"two\r\nlines",x\n"""",y')).toEqual([['two\r\nlines', 'x'], ['"', 'y']]);
  });

  it('keeps blank lines as empty rows, so row numbers match the file', () => {
    expect(parseCsv('h\n\nv\n')).toEqual([['h'], [''], ['v']]);
  });

  it('refuses stray quotes, naming the row', () => {
    const rowOf = (text: string) => {
      try {
        parseCsv(text);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(CsvError);
        return (err as CsvError).row;
      }
    };
    expect(rowOf('a\nb"c\n')).toBe(2);
    expect(rowOf('a\nb\n"c"d\n')).toBe(3);
    expect(rowOf('a\n"never closed\n')).toBe(2);
  });
});
