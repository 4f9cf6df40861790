/**
 * The one CSV writer (facts, digest, review): RFC 4180, fields quoted when they hold a comma, quote or line
 * break, and text cells neutralised against formula injection as OWASP recommends: a cell whose first
 * (non-blank) character is `=`, `+`, `-`, `@`, tab or carriage return (or their full-width forms) gets a
 * leading single quote, so a spreadsheet shows it as text instead of evaluating it. A plain decimal number
 * (`-12.345`, `1e-7`) is not a formula and stays as it is, so money columns stay parseable numbers.
 */
export function toCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (value: string) => {
    const safe = neutraliseFormula(value);
    return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return `${[headers, ...rows].map((r) => r.map(field).join(',')).join('\n')}\n`;
}

const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const PLAIN_NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** `'=1+2` for `=1+2`; numbers and other text unchanged. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** True when a spreadsheet would evaluate the cell as a formula (what `neutraliseFormula` prevents). */
export function isLiveFormula(cell: string): boolean {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell);
}

/** A CSV text that is not RFC 4180: where (1-based line of the record) and what. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * RFC 4180 reader, for what toCsv writes and for users' files: fields quoted or not, doubled quotes inside
 * quoted fields, line breaks inside them, CRLF or LF records. A quote inside an unquoted field, text after a
 * closing quote, or a quoted field left open is a CsvSyntaxError naming the line, never a silent guess.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let closed = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    row.push(field);
    field = '';
    closed = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        closed = true;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
      line++;
      recordLine = line;
    } else if (closed) {
      throw new CsvSyntaxError(recordLine, `text after a closing quote (${JSON.stringify(c)})`);
    } else if (c === '"') {
      if (field !== '')
        throw new CsvSyntaxError(recordLine, `a quote inside an unquoted field ("${field}…")`);
      quoted = true;
    } else field += c;
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed');
  if (field !== '' || row.length > 0 || closed) {
    endField();
    rows.push(row);
  }
  return rows;
}
