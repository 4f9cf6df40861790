/**
 * Building blocks for report HTML that must render the same in a browser and in email clients: no script,
 * no external fonts or images, every style inline (several clients drop <style>), layout and charts built
 * from tables (Gmail and Outlook do not render inline SVG), widths as both attribute and style.
 */

export const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
export const INK = '#1f2933';
export const MUTED = '#616e7c';
export const RULE = '#d9e2ec';

/** Colour-blind-friendly categorical palette (Okabe–Ito, then greys). */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
  '#999999',
  '#BBBBBB',
];

export function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `data-*` and other attributes, values escaped. */
export function attrs(values: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
}

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${esc(title)}</title>
</head>
<body style="margin:0;padding:0;background:#f5f7fa;color:${INK};font-family:${FONT};font-size:14px;line-height:1.45;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;background:#f5f7fa;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:980px;background:#ffffff;border:1px solid ${RULE};border-radius:6px;">
<tr><td style="padding:20px 24px;">
${body}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

export function h1(text: string, sub?: string): string {
  return `<h1 style="margin:0 0 4px 0;font-size:22px;line-height:1.25;color:${INK};">${esc(text)}</h1>${
    sub ? `<p style="margin:0 0 16px 0;color:${MUTED};font-size:13px;">${sub}</p>` : ''
  }`;
}

export function h2(text: string, id?: string): string {
  return `<h2${id ? attrs({ id }) : ''} style="margin:28px 0 8px 0;font-size:17px;color:${INK};border-bottom:1px solid ${RULE};padding-bottom:4px;">${esc(text)}</h2>`;
}

export function para(html: string, style = ''): string {
  return `<p style="margin:6px 0;${style}">${html}</p>`;
}

export function small(html: string): string {
  return `<span style="color:${MUTED};font-size:12px;">${html}</span>`;
}

export type Tone = 'info' | 'warn' | 'ok' | 'bad';

const TONES: Readonly<Record<Tone, { bg: string; border: string }>> = {
  info: { bg: '#eef4fb', border: '#0072B2' },
  warn: { bg: '#fff8e1', border: '#E69F00' },
  ok: { bg: '#e8f6ef', border: '#009E73' },
  bad: { bg: '#fdecea', border: '#D55E00' },
};

export function callout(tone: Tone, html: string, extra: Readonly<Record<string, string>> = {}): string {
  const t = TONES[tone];
  return `<div${attrs(extra)} style="margin:12px 0;padding:10px 12px;background:${t.bg};border-left:4px solid ${t.border};font-size:13px;">${html}</div>`;
}

/** A row of headline figures; each tile is label, big value, small note. */
export function tiles(
  items: readonly { label: string; value: string; note?: string; data?: string }[],
): string {
  const width = Math.floor(100 / Math.max(1, items.length));
  const cells = items
    .map(
      (t) =>
        `<td width="${width}%" valign="top" style="width:${width}%;padding:10px 12px;border:1px solid ${RULE};background:#fafbfc;">` +
        `<div style="font-size:12px;color:${MUTED};text-transform:uppercase;letter-spacing:0.03em;">${esc(t.label)}</div>` +
        `<div${t.data ? attrs({ 'data-tile': t.data }) : ''} style="font-size:20px;font-weight:bold;margin-top:2px;">${esc(t.value)}</div>` +
        (t.note ? `<div style="font-size:12px;color:${MUTED};">${t.note}</div>` : '') +
        `</td>`,
    )
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;margin:8px 0;"><tr>${cells}</tr></table>`;
}

export interface Cell {
  html: string;
  align?: 'left' | 'right' | 'center';
  style?: string;
  attrs?: Readonly<Record<string, string>>;
}

export type CellInput = string | Cell;

function cellOf(input: CellInput): Cell {
  return typeof input === 'string' ? { html: input } : input;
}

/** A data table; header cells plain text, body cells HTML (escape values before passing them). */
export function table(
  headers: readonly CellInput[],
  rows: readonly { cells: readonly CellInput[]; style?: string; attrs?: Readonly<Record<string, string>> }[],
  options: { align?: readonly ('left' | 'right' | 'center')[]; id?: string } = {},
): string {
  const alignOf = (i: number, c: Cell) => c.align ?? options.align?.[i] ?? 'left';
  const head = headers
    .map((h, i) => {
      const c = cellOf(h);
      return `<th align="${alignOf(i, c)}" style="text-align:${alignOf(i, c)};padding:6px 8px;border-bottom:2px solid ${RULE};font-size:12px;color:${MUTED};font-weight:600;${c.style ?? ''}">${c.html}</th>`;
    })
    .join('');
  const body = rows
    .map(
      (r) =>
        `<tr${r.attrs ? attrs(r.attrs) : ''} style="${r.style ?? ''}">${r.cells
          .map((input, i) => {
            const c = cellOf(input);
            return `<td${c.attrs ? attrs(c.attrs) : ''} align="${alignOf(i, c)}" style="text-align:${alignOf(i, c)};padding:5px 8px;border-bottom:1px solid ${RULE};vertical-align:top;${c.style ?? ''}">${c.html}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table${options.id ? attrs({ id: options.id }) : ''} width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;font-size:13px;margin:6px 0;">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

/** A horizontal bar of `fraction` (0–1) of the available width, as a two-cell table. */
export function bar(fraction: number, color: string, width = 160): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  if (filled === 0) return `<span style="color:${MUTED};font-size:11px;">·</span>`;
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="${width}" style="width:${width}px;border-collapse:collapse;"><tr><td width="${filled}" height="12" style="width:${filled}px;height:12px;background:${color};font-size:0;line-height:0;">&nbsp;</td>${
    filled < width
      ? `<td width="${width - filled}" style="width:${width - filled}px;font-size:0;line-height:0;">&nbsp;</td>`
      : ''
  }</tr></table>`;
}

export interface Segment {
  fraction: number;
  color: string;
  title: string;
}

/**
 * Segments side by side in one bar; `fill` (0–1) is how much of the width the whole bar takes, so bars of
 * different totals compare. Segments under half a pixel are dropped (their value is in the table next to it).
 */
export function stackedBar(segments: readonly Segment[], fill: number, width = 520, pattern = false): string {
  const total = Math.round(Math.max(0, Math.min(1, fill)) * width);
  const cells: string[] = [];
  let used = 0;
  for (const s of segments) {
    const w = Math.round(Math.max(0, s.fraction) * total);
    if (w <= 0) continue;
    const bg = pattern ? `background:${s.color};opacity:0.45;` : `background:${s.color};`;
    cells.push(
      `<td width="${w}" height="16" title="${esc(s.title)}" style="width:${w}px;height:16px;${bg}font-size:0;line-height:0;">&nbsp;</td>`,
    );
    used += w;
  }
  if (used < width)
    cells.push(
      `<td width="${width - used}" style="width:${width - used}px;font-size:0;line-height:0;">&nbsp;</td>`,
    );
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="${width}" style="width:${width}px;max-width:100%;border-collapse:collapse;table-layout:fixed;"><tr>${cells.join('')}</tr></table>`;
}

export function legend(items: readonly { color: string; label: string }[]): string {
  return `<p style="margin:6px 0;font-size:12px;color:${MUTED};">${items
    .map(
      (i) =>
        `<span style="display:inline-block;margin-right:12px;white-space:nowrap;"><span style="display:inline-block;width:10px;height:10px;background:${i.color};margin-right:4px;vertical-align:middle;"></span>${esc(i.label)}</span>`,
    )
    .join('')}</p>`;
}

export function signColor(negativeIsGood: boolean, sign: number): string {
  if (sign === 0) return MUTED;
  const good = negativeIsGood ? sign < 0 : sign > 0;
  return good ? '#007a55' : '#b03a00';
}
