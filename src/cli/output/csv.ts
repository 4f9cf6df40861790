/** RFC 4180 CSV: fields quoted when they hold a comma, quote or newline. */
export function renderCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return [headers, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}
