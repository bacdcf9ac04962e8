// The pieces of the HTML report that hold no knowledge of runs: escaping, tables, and the inline SVG
// bar chart. Everything is text in the one file: no script, no stylesheet or font from elsewhere.

/** `text` safe inside HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A cell: text (escaped), or pre-built HTML, with an optional class (`num` right-aligns). */
export type Cell = string | { readonly html: string; readonly className?: string };

/** A `<table>` of the given headers and rows; `id` names it for tests and links. */
export function htmlTable(
  id: string,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const cell = (c: Cell): string =>
    typeof c === 'string'
      ? `<td>${escapeHtml(c)}</td>`
      : `<td${c.className === undefined ? '' : ` class="${c.className}"`}>${c.html}</td>`;
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A right-aligned number cell, `1,234` style. */
export function num(n: number | undefined): Cell {
  return { html: n === undefined ? '–' : n.toLocaleString('en-US'), className: 'num' };
}

/**
 * A horizontal bar chart as inline SVG: one bar per item, its label at the left and its value at the
 * bar's end. Bars scale to the largest value; zero values draw no bar. `unit` follows each value.
 */
export function barChart(
  title: string,
  items: readonly { readonly label: string; readonly value: number }[],
  unit: string,
): string {
  const width = 760;
  const labelWidth = 220;
  const barArea = width - labelWidth - 110;
  const row = 26;
  const height = items.length * row + 34;
  const max = Math.max(1, ...items.map((i) => i.value));
  const bars = items.map((item, index) => {
    const y = 28 + index * row;
    const length = Math.round((item.value / max) * barArea);
    const value = `${Math.round(item.value).toLocaleString('en-US')} ${unit}`;
    return [
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(item.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 2}" width="${length}" height="${row - 8}" rx="3" class="bar"/>`,
      `<text x="${labelWidth + length + 6}" y="${y + 14}" class="value">${escapeHtml(value)}</text>`,
    ].join('');
  });
  return [
    `<svg id="throughput-chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"`,
    ` viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<text x="0" y="16" class="title">${escapeHtml(title)}</text>`,
    ...bars,
    '</svg>',
  ].join('');
}
