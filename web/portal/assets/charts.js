// Small SVG bar charts drawn from Bucket lists ({value, label, count: Count}).
// Counts are shown as the API reports them (display strings such as "<10");
// a suppressed or inexact count is drawn from its value when there is one,
// else as a hatched stub. Each chart carries its data as a table too.

import { h, num } from './dom.js';

const W = 320;

function countValue(c) {
  if (!c) return 0;
  if (typeof c.value === 'number') return c.value;
  return 0;
}

function display(c) {
  if (!c) return '';
  return c.display ?? num(c.value);
}

/**
 * barChart draws buckets as horizontal bars (kind "bars") or vertical
 * columns (kind "columns", for histograms whose order matters).
 */
export function barChart(title, buckets, { kind = 'bars', note } = {}) {
  const data = (buckets || []).filter((b) => b && b.count);
  const fig = h('figure', { class: 'chart' }, h('figcaption', null, title));
  if (!data.length) {
    fig.append(h('p', { class: 'muted' }, 'No data.'));
    return fig;
  }
  const max = Math.max(1, ...data.map((b) => countValue(b.count)));
  const summary = `${title}: ` + data.map((b) => `${b.label || b.value} ${display(b.count)}`).join(', ');
  let svg;
  if (kind === 'columns') {
    const H = 150;
    const bw = Math.max(8, Math.floor((W - 10) / data.length) - 4);
    const step = bw + 4;
    const width = Math.max(W, data.length * step + 10);
    svg = h('svg:svg', { viewBox: `0 0 ${width} ${H + 34}`, role: 'img', 'aria-label': summary, class: 'chart-svg' });
    data.forEach((b, i) => {
      const v = countValue(b.count);
      const bh = v > 0 ? Math.max(2, Math.round((v / max) * H)) : 3;
      const x = 5 + i * step;
      svg.append(
        h('svg:rect', { x, y: H - bh + 12, width: bw, height: bh, class: v > 0 && !b.count.suppressed ? 'bar' : 'bar bar-suppressed' },
          h('svg:title', null, `${b.label || b.value}: ${display(b.count)}`)),
        h('svg:text', { x: x + bw / 2, y: H - bh + 9, class: 'bar-value', 'text-anchor': 'middle' }, display(b.count)),
        h('svg:text', { x: x + bw / 2, y: H + 26, class: 'bar-label', 'text-anchor': 'middle' }, shortLabel(b.label || b.value, 7)));
    });
  } else {
    const rowH = 22;
    const labelW = 132;
    const barMax = W - labelW - 44;
    svg = h('svg:svg', { viewBox: `0 0 ${W} ${data.length * rowH + 4}`, role: 'img', 'aria-label': summary, class: 'chart-svg' });
    data.forEach((b, i) => {
      const v = countValue(b.count);
      const bw = v > 0 ? Math.max(2, Math.round((v / max) * barMax)) : 3;
      const y = 2 + i * rowH;
      svg.append(
        h('svg:text', { x: labelW - 6, y: y + 15, class: 'bar-label', 'text-anchor': 'end' }, shortLabel(b.label || b.value, 20)),
        h('svg:rect', { x: labelW, y: y + 3, width: bw, height: rowH - 7, class: v > 0 && !b.count.suppressed ? 'bar' : 'bar bar-suppressed' },
          h('svg:title', null, `${b.label || b.value}: ${display(b.count)}`)),
        h('svg:text', { x: labelW + bw + 5, y: y + 15, class: 'bar-value' }, display(b.count)));
    });
  }
  fig.append(svg);
  fig.append(h('details', { class: 'chart-table' }, h('summary', null, 'Data table'),
    h('table', null,
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Count'))),
      h('tbody', null, data.map((b) => h('tr', null, h('th', { scope: 'row' }, b.label || b.value), h('td', null, display(b.count))))))));
  if (note) fig.append(h('p', { class: 'muted small' }, note));
  return fig;
}

function shortLabel(s, n) {
  s = String(s);
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
