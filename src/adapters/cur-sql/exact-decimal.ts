/**
 * DuckDB SQL for a money or usage column as its exact DECIMAL(38,15): the double's shortest decimal form
 * (the text `CAST(x AS VARCHAR)` prints) rounded half away from zero to 15 places (DESIGN §3.4).
 *
 * Going through the text is the definition, and Athena does exactly that; on DuckDB the DOUBLE → VARCHAR →
 * DECIMAL(38,15) round trip costs ~2–10 µs per value (DuckDB 1.5.6). This gives the same value by arithmetic and
 * keeps the text path for the values it cannot prove:
 *
 * - |x| < 0.5: f = x·10^15 (10^15 is exact, so f is the exact product correctly rounded) is within |f|·2^-53 of
 *   x·10^15, and the shortest form S lies within half an ulp of x, so S·10^15 is within |x|·10^15·2^-53 of
 *   x·10^15; together |S·10^15 − f| ≤ |f|·2^-52·(1 + 2^-53) < |f|·2.3e-16 (at most 0.12 here). When no rounding
 *   tie k + ½ lies within that of f, S·10^15 and f round to the same integer, round(f): this covers values of any
 *   length, 16–17 significant digits included, except the few next to a tie. f − ⌊f⌋ − ½ is exact for
 *   |f| < 2^52.
 * - 0.5 ≤ |x| < 10^15: M = round(x·10^k) with k = 14 − ⌊log10 |x|⌋ is x to 15 significant digits. If
 *   |M| < 10^15 and M / 10^k (a correctly rounded IEEE division of two exact doubles) reads back as x, then
 *   M·10^-k is a decimal of at most 15 significant digits inside x's rounding interval. That interval is
 *   narrower than the gap between two such decimals, so M·10^-k is the shortest form itself, and it has at
 *   most 15 decimals. A wrong ⌊log10⌋ near a power of ten only makes M fail these checks.
 * - everything else (16–17 significant digits from 0.5 up, values next to a tie, NaN, infinities, |x| ≥ 10^15)
 *   takes the text path (measured ~2 µs a value for plain forms such as '1234.5678901234567'), the text read as
 *   a 64-bit decimal below 999 (`NARROW_BELOW`), several times faster than as a 128-bit one. The cliff on
 *   16–17-digit costs was their small values, which used to need f within 0.1 of an integer and now only f away
 *   from a tie: on a 1M-row file of 17-digit costs the three columns' conversion went from ~205 to ~75 ms of CPU. (Parsing the text with
 *   integer arithmetic instead measured no faster, and its mere presence in the CASE slowed the other branches.)
 *
 * A property test compares this with an exact big-integer rounding of JavaScript's shortest form.
 * A FLOAT keeps the text path (its shortest form is shorter than its double's); DECIMAL columns cast directly;
 * short decimal text (CSV reports) goes through DOUBLE when that is exact, see below.
 */
export function exactDecimalSql(column: string, type: string | undefined): string {
  if (type === 'DOUBLE') {
    const x = column;
    // greatest(…, 0.5) keeps log10 away from zero on rows the CASE does not send down that branch.
    const exponent = `floor(log10(greatest(abs(${x}), 0.5)))`;
    const scaled = `abs(${x} * 1e15)`;
    const digits = `round(${x} * pow(10, 14 - ${exponent}))`;
    return [
      'CASE',
      `WHEN abs(${x}) < 0.5 AND abs(${scaled} - floor(${scaled}) - 0.5) > ${scaled} * 2.3e-16`,
      `THEN CAST(round(${x} * 1e15) AS DECIMAL(38, 0)) * CAST(1e-15 AS DECIMAL(16, 15))`,
      `WHEN abs(${x}) >= 0.5 AND abs(${x}) < 1e15 AND abs(${digits}) < 1e15`,
      `AND ${digits} / pow(10, 14 - ${exponent}) = ${x}`,
      `THEN CAST(${digits} AS DECIMAL(38, 0)) * CAST(pow(10, ${exponent} - 14) AS DECIMAL(16, 15))`,
      `WHEN abs(${x}) < ${NARROW_BELOW} THEN ${narrowCast(`CAST(${x} AS VARCHAR)`)}`,
      `ELSE ${viaText(x)} END`,
    ].join(' ');
  }
  if (type === 'FLOAT' || type === 'REAL') return viaText(column);
  if (type === 'VARCHAR') {
    // Text of at most 15 characters has at most 15 significant digits, so it reads back from the nearest double
    // exactly (DBL_DIG): the double's shortest form is the text's value, and the arithmetic applies. DuckDB reads
    // text straight into DECIMAL(38,15) ~100× slower (measured: 42k values in ~450 ms) and rounds tiny
    // scientific values wrongly ('7.5e-20' → 1e-15).
    return (
      `CASE WHEN length(${column}) <= 15 THEN ${exactDecimalSql(`CAST(${column} AS DOUBLE)`, 'DOUBLE')} ` +
      `WHEN abs(TRY_CAST(${column} AS DOUBLE)) < ${NARROW_BELOW} THEN ${narrowCast(column)} ` +
      `ELSE CAST(${column} AS DECIMAL(38, 15)) END`
    );
  }
  return `CAST(${column} AS DECIMAL(38, 15))`;
}

/**
 * Text values below this magnitude are read through the 64-bit DECIMAL(18,15): DuckDB parses text into a
 * DECIMAL(38,15) (128-bit) ~25× slower (measured on 1M 17-digit values below 1000: ~7 s of CPU against ~0.3 s,
 * text formatting included), and the two casts round alike (compared on 200k random fixed and scientific texts:
 * no difference). Below 999, the value rounded to 15 places stays under 10^3, inside DECIMAL(18,15).
 */
const NARROW_BELOW = 999;

/** Decimal text (below `NARROW_BELOW` in magnitude) as DECIMAL(38,15), parsed as a DECIMAL(18,15). */
function narrowCast(text: string): string {
  return `CAST(CAST(${text} AS DECIMAL(18, 15)) AS DECIMAL(38, 15))`;
}

/** The definition: the shortest decimal text of the value, read as DECIMAL(38,15). */
export function viaText(column: string): string {
  return `CAST(CAST(${column} AS VARCHAR) AS DECIMAL(38, 15))`;
}
