/**
 * Charts for the printable report, drawn on the server as SVG geometry: sharp at any print
 * resolution, no JavaScript, and no inline styles (the CSP forbids them; the view sets only
 * coordinates and classes). Values are percentages 0..100; a missing value leaves a gap.
 */

const WIDTH = 1000;

export interface SvgText {
  x: number;
  y: number;
  text: string;
}

export interface SvgLine {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface LineChart {
  viewBox: string;
  grid: SvgLine[];
  yLabels: SvgText[];
  xLabels: SvgText[];
  /** Polylines: a month without responses breaks the line. */
  segments: string[];
  points: (SvgText & { cy: number })[];
  target: (SvgLine & { label: SvgText }) | null;
}

const round = (v: number) => Math.round(v * 10) / 10;

/** The lowest gridline: lines may start above zero (the table has every number), like the dashboard's. */
function axisFloor(values: (number | null)[], target: number | null): number {
  const shown = values.filter((v): v is number => v !== null);
  if (target !== null) shown.push(target);
  const lowest = shown.length > 0 ? Math.min(...shown) : 0;
  return Math.max(0, Math.floor((lowest - 10) / 10) * 10);
}

export function lineChart(opts: {
  labels: string[];
  values: (number | null)[];
  target: number | null;
  targetLabel: string;
  format: (v: number) => string;
}): LineChart {
  const height = 260;
  const left = 56;
  // The target's label sits in the right margin, clear of the points.
  const right = 120;
  const top = 16;
  const bottom = 36;
  const min = axisFloor(opts.values, opts.target);
  const plotWidth = WIDTH - left - right;
  const plotHeight = height - top - bottom;
  const y = (v: number) => round(top + plotHeight * (1 - (v - min) / (100 - min)));
  // Each month in the middle of its own band, so the first and last labels stay inside the chart.
  const step = plotWidth / Math.max(1, opts.labels.length);
  const x = (i: number) => round(left + step * (i + 0.5));

  const ticks: number[] = [];
  for (let v = min; v <= 100; v += min >= 50 ? 10 : 20) ticks.push(v);
  const segments: string[] = [];
  let current: string[] = [];
  opts.values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i)},${y(v)}`);
  });
  if (current.length > 0) segments.push(current.join(' '));
  // Twelve month labels fit; more are thinned so they do not overlap.
  const every = Math.max(1, Math.ceil(opts.labels.length / 12));
  return {
    viewBox: `0 0 ${WIDTH} ${height}`,
    grid: ticks.map((v) => ({ x1: left, y1: y(v), x2: WIDTH - right, y2: y(v) })),
    yLabels: ticks.map((v) => ({ x: left - 8, y: y(v) + 5, text: `${v}%` })),
    xLabels: opts.labels.flatMap((label, i) => (i % every === 0 ? [{ x: x(i), y: height - 10, text: label }] : [])),
    segments,
    points: opts.values.flatMap((v, i) => (v === null ? [] : [{ x: x(i), y: y(v) - 10, cy: y(v), text: opts.format(v) }])),
    target:
      opts.target === null
        ? null
        : { x1: left, y1: y(opts.target), x2: WIDTH - right, y2: y(opts.target), label: { x: WIDTH - right + 8, y: y(opts.target) + 5, text: `${opts.targetLabel} ${opts.target}%` } },
  };
}

export interface BarChart {
  viewBox: string;
  grid: SvgLine[];
  xLabels: SvgText[];
  bars: { x: number; y: number; width: number; height: number; label: SvgText; value: SvgText }[];
}

/** Horizontal bars from 0 to 100%: the names (fields, units) are long and read better on their own. */
export function barChart(opts: { labels: string[]; values: (number | null)[]; format: (v: number) => string }): BarChart {
  const left = 330;
  const right = 80;
  const top = 8;
  const rowHeight = 30;
  const bottom = 30;
  const height = top + rowHeight * opts.labels.length + bottom;
  const plotWidth = WIDTH - left - right;
  const x = (v: number) => round(left + (plotWidth * v) / 100);
  return {
    viewBox: `0 0 ${WIDTH} ${height}`,
    grid: [0, 20, 40, 60, 80, 100].map((v) => ({ x1: x(v), y1: top, x2: x(v), y2: height - bottom })),
    xLabels: [0, 20, 40, 60, 80, 100].map((v) => ({ x: x(v), y: height - 10, text: `${v}%` })),
    bars: opts.labels.map((label, i) => {
      const v = opts.values[i] ?? null;
      const y = top + i * rowHeight;
      const width = v === null ? 0 : x(v) - left;
      return {
        x: left,
        y: y + 6,
        width,
        height: rowHeight - 12,
        label: { x: left - 10, y: y + rowHeight / 2 + 5, text: label },
        value: { x: left + width + 8, y: y + rowHeight / 2 + 5, text: v === null ? '—' : opts.format(v) },
      };
    }),
  };
}
