/**
 * DuckDB SQL for a money or usage column as its exact DECIMAL(38,15): the double's shortest decimal form
 * (the text `CAST(x AS VARCHAR)` prints) rounded half away from zero to 15 places (DESIGN §3.4).
 *
 * Going through the text is the definition, and Athena does exactly that; on DuckDB it costs a
 * DOUBLE → VARCHAR → DECIMAL round trip per value (measured: ~0.45 s of a 1.1 s stage 1 on 5M rows). This
 * gives the same value by arithmetic and keeps the text path for the few values it cannot prove:
 *
 * - |x| < 0.5: f = x·10^15 is computed within 0.06 of the exact scaled shortest form (the double's rounding
 *   interval and the product's rounding error are both under 0.031 there). When f is within 0.1 of an
 *   integer, that integer is the rounded shortest form; otherwise the text path decides.
 * - 0.5 ≤ |x| < 10^15: M = round(x·10^k) with k = 14 − ⌊log10 |x|⌋ is x to 15 significant digits. If
 *   |M| < 10^15 and M / 10^k (a correctly rounded IEEE division of two exact doubles) reads back as x, then
 *   M·10^-k is a decimal of at most 15 significant digits inside x's rounding interval. That interval is
 *   narrower than the gap between two such decimals, so M·10^-k is the shortest form itself, and it has at
 *   most 15 decimals. A wrong ⌊log10⌋ near a power of ten only makes M fail these checks.
 * - everything else (more than 15 significant digits near a rounding tie, NaN, infinities, |x| ≥ 10^15)
 *   takes the text path.
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
    const small = `round(${x} * 1e15)`;
    const digits = `round(${x} * pow(10, 14 - ${exponent}))`;
    return [
      'CASE',
      `WHEN abs(${x}) < 0.5 AND abs(${x} * 1e15 - ${small}) <= 0.1`,
      `THEN CAST(${small} AS DECIMAL(38, 0)) * CAST(1e-15 AS DECIMAL(16, 15))`,
      `WHEN abs(${x}) >= 0.5 AND abs(${x}) < 1e15 AND abs(${digits}) < 1e15`,
      `AND ${digits} / pow(10, 14 - ${exponent}) = ${x}`,
      `THEN CAST(${digits} AS DECIMAL(38, 0)) * CAST(pow(10, ${exponent} - 14) AS DECIMAL(16, 15))`,
      `ELSE ${viaText(x)} END`,
    ].join(' ');
  }
  if (type === 'FLOAT' || type === 'REAL') return viaText(column);
  if (type === 'VARCHAR') {
    // Text of at most 15 characters has at most 15 significant digits, so it reads back from the nearest double
    // exactly (DBL_DIG): the double's shortest form is the text's value, and the arithmetic applies. DuckDB reads
    // text straight into DECIMAL(38,15) ~100× slower (measured: 42k values in ~450 ms) and rounds tiny
    // scientific values wrongly ('7.5e-20' → 1e-15).
    return `CASE WHEN length(${column}) <= 15 THEN ${exactDecimalSql(`CAST(${column} AS DOUBLE)`, 'DOUBLE')} ELSE CAST(${column} AS DECIMAL(38, 15)) END`;
  }
  return `CAST(${column} AS DECIMAL(38, 15))`;
}

/** The definition: the shortest decimal text of the value, read as DECIMAL(38,15). */
export function viaText(column: string): string {
  return `CAST(CAST(${column} AS VARCHAR) AS DECIMAL(38, 15))`;
}
