import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, toCsv } from '../../../../src/core/report/csv.js';

describe('parseCsv (RFC 4180)', () => {
  it('reads what toCsv writes: quotes, doubled quotes, commas and line breaks inside fields', () => {
    const rows = [
      ['a', 'b,c', 'say "hi"'],
      ['line\nbreak', '', 'crlf\r\ninside'],
    ];
    expect(parseCsv(toCsv(['h1', 'h2', 'h3'], rows))).toEqual([['h1', 'h2', 'h3'], ...rows]);
  });

  it('takes CRLF records, a last record without a line break and empty fields', () => {
    expect(parseCsv('x,y\r\n1,\r\n,2')).toEqual([
      ['x', 'y'],
      ['1', ''],
      ['', '2'],
    ]);
    expect(parseCsv('"",a\n')).toEqual([['', 'a']]);
  });

  it.each([
    ['a,b\n1,"open\n', 2, 'a quoted field is never closed'],
    ['a,b\n1,x"y\n', 2, 'a quote inside an unquoted field'],
    ['a,b\n"q"x,1\n', 2, 'text after a closing quote'],
  ])('refuses %j, naming the line', (text, line, message) => {
    let caught: unknown;
    try {
      parseCsv(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    expect((caught as CsvSyntaxError).line).toBe(line);
    expect((caught as Error).message).toContain(message);
  });
});
