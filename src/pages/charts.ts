/** Inline SVG charts (no script, no library): horizontal bars and a column chart with a line. */
import { html, type Html } from './html.ts';

export interface Bar {
  label: string;
  /** for geometry only; the figure shown is `display` */
  value: number;
  display: string;
  href?: string;
}

/** Horizontal bars, one row per item, labels left and figures right. */
export function barChart(title: string, bars: readonly Bar[]): Html {
  const rowH = 28;
  const labelW = 110;
  const valueW = 130;
  const width = 720;
  const plotW = width - labelW - valueW;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(rowH, bars.length * rowH) + 8;
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">
  <title>${title}</title>
  ${bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = b.value > 0 ? Math.max(2, Math.round((b.value / max) * plotW)) : 0;
    const bar = html`<rect x="${labelW}" y="${y + 5}" width="${w}" height="${rowH - 10}" fill="#0b5394" rx="2"></rect>
    <text x="${labelW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${b.label}</text>
    <text x="${labelW + w + 6}" y="${y + rowH / 2 + 4}">${b.display}</text>`;
    return b.href ? html`<a href="${b.href}">${bar}</a>` : bar;
  })}
</svg>`;
}

export interface Column {
  label: string;
  value: number;
  display: string;
}

/** Columns over time (months), with the figure above each column. */
export function columnChart(title: string, columns: readonly Column[], color = '#b42318'): Html {
  const width = 720;
  const height = 220;
  const top = 24;
  const bottom = 28;
  const plotH = height - top - bottom;
  const n = Math.max(1, columns.length);
  const slot = (width - 20) / n;
  const max = Math.max(1, ...columns.map((c) => c.value));
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">
  <title>${title}</title>
  <line x1="10" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#9aa5b1"></line>
  ${columns.map((c, i) => {
    const h = c.value > 0 ? Math.max(2, Math.round((c.value / max) * plotH)) : 0;
    const x = 10 + i * slot + slot * 0.2;
    const w = slot * 0.6;
    return html`<rect x="${x.toFixed(1)}" y="${top + plotH - h}" width="${w.toFixed(1)}" height="${h}" fill="${color}" rx="2"></rect>
    <text x="${(x + w / 2).toFixed(1)}" y="${top + plotH - h - 6}" text-anchor="middle">${c.display}</text>
    <text x="${(x + w / 2).toFixed(1)}" y="${height - 9}" text-anchor="middle">${c.label}</text>`;
  })}
</svg>`;
}

/** A line (e.g. an account balance month by month) with a dot and figure per point. */
export function lineChart(title: string, points: readonly Column[]): Html {
  const width = 720;
  const height = 200;
  const top = 24;
  const bottom = 28;
  const plotH = height - top - bottom;
  const n = Math.max(1, points.length);
  const slot = (width - 20) / n;
  const values = points.map((p) => p.value);
  const max = Math.max(1, ...values);
  const min = Math.min(0, ...values);
  const yOf = (v: number) => top + plotH - ((v - min) / (max - min || 1)) * plotH;
  const xs = points.map((_, i) => 10 + i * slot + slot / 2);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${xs[i]!.toFixed(1)},${yOf(p.value).toFixed(1)}`).join(' ');
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">
  <title>${title}</title>
  <line x1="10" y1="${yOf(0).toFixed(1)}" x2="${width - 10}" y2="${yOf(0).toFixed(1)}" stroke="#9aa5b1"></line>
  <path d="${path}" fill="none" stroke="#0b5394" stroke-width="2"></path>
  ${points.map(
    (p, i) => html`<circle cx="${xs[i]!.toFixed(1)}" cy="${yOf(p.value).toFixed(1)}" r="3.5" fill="#0b5394"></circle>
    <text x="${xs[i]!.toFixed(1)}" y="${(yOf(p.value) - 8).toFixed(1)}" text-anchor="middle">${p.display}</text>
    <text x="${xs[i]!.toFixed(1)}" y="${height - 9}" text-anchor="middle">${p.label}</text>`,
  )}
</svg>`;
}
