// A small, strict RFC 4180 reader: comma-separated fields, fields in double quotes may
// hold commas, line breaks and doubled quotes (""), lines end in CRLF, LF or CR, a UTF-8
// byte-order mark is skipped. Anything ambiguous (a stray quote) is an error naming the
// row, rather than a guess. Rows are counted as a spreadsheet shows them: the first is 1.

export class CsvError extends Error {
  constructor(
    readonly row: number,
    readonly reason: string,
  ) {
    super(`row ${row}: ${reason}`);
    this.name = 'CsvError';
  }
}

/** Parses CSV text into rows of fields. A final line break doesn't make an empty row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false; // between a field's opening and closing quote
  let quotedField = false; // the current field began with a quote
  const endField = () => {
    row.push(field);
    field = '';
    quotedField = false;
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c !== '"') {
        field += c;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        inQuotes = false;
      }
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else if (quotedField) {
      throw new CsvError(rows.length + 1, 'text after a closing quote (a quote inside a quoted field is written "")');
    } else if (c === '"') {
      if (field !== '') throw new CsvError(rows.length + 1, 'a quote inside an unquoted field (quote the whole field and double the quote)');
      inQuotes = quotedField = true;
    } else {
      field += c;
    }
  }
  if (inQuotes) throw new CsvError(rows.length + 1, 'a quoted field is never closed');
  if (field !== '' || quotedField || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
