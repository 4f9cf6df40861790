// C0 and C1 control characters, DEL, and the bidirectional overrides / isolates that reorder what a
// terminal shows (a tag value could otherwise move the cursor, recolour, clear the screen or hide text).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe to print on a terminal: control and bidi characters shown as `\xNN` / `\uNNNN` escapes. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A plain-text table for terminals and plain-text email: columns padded, numbers right-aligned, every cell
 * `printable` (one line, no escape sequences).
 */
export function textTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAlign: readonly number[] = [],
): string {
  const safeRows = rows.map((r) => r.map((cell) => printable(cell ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...safeRows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (rightAlign.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...safeRows.map(line)].join('\n');
}
