/**
 * Dashboard panels as PNG pictures, drawn from the Prometheus data of a test
 * run so a person can look at them without Grafana (which is not in Debian):
 * a Vega-Lite chart per panel (lines per series, thresholds dashed, the
 * dashboard's annotations as vertical rules; stat panels as their values),
 * rendered to SVG by Vega and to PNG by resvg. Must not import vitest.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { DashboardPanel } from './chart.js';

export interface PanelSeries {
  legend: string;
  points: Array<[number, number]>; // [unix seconds, value]
}
export interface PanelAnnotation {
  name: string;
  title: string;
  color: string;
  time: number; // unix seconds
}
export interface PanelData {
  panel: DashboardPanel;
  series: PanelSeries[];
  annotations: PanelAnnotation[];
  /** Panel type stat: the value shown per series. */
  kind: 'timeseries' | 'stat';
  textMode?: 'name' | 'value' | 'value_and_name';
}

const FONT = 'DejaVu Sans';
const UNIT: Record<string, { title: string; format: string }> = {
  percent: { title: '% to the relay', format: '.0f' },
  percentunit: { title: 'error rate', format: '.0%' },
  s: { title: 'seconds', format: '.3~f' },
  reqps: { title: 'per second', format: '.1~f' },
  bytes: { title: 'bytes', format: '~s' },
  currencyUSD: { title: 'USD', format: '$.4~f' },
  short: { title: 'per second', format: '.1~f' },
};

function formatValue(v: number, unit: string | undefined): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === 'currencyUSD') return `$${v < 1 ? v.toFixed(6) : v.toFixed(2)}`;
  if (unit === 'percent') return `${v.toFixed(0)}%`;
  if (unit === 'percentunit') return `${(v * 100).toFixed(1)}%`;
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function timeseriesSpec(d: PanelData, width: number, height: number): TopLevelSpec {
  const unit = d.panel.fieldConfig?.defaults?.unit ?? 'short';
  const base = UNIT[unit] ?? { title: '', format: '~g' };
  const u = { ...base, title: d.panel.fieldConfig?.defaults?.custom?.axisLabel ?? base.title };
  // Dashed as in Grafana: the series a byRegexp override gives a custom.lineStyle (thresholds, caps).
  const dashed = (d.panel.fieldConfig?.overrides ?? [])
    .filter((o) => o.matcher.id === 'byRegexp' && o.properties.some((p) => p.id === 'custom.lineStyle'))
    .map((o) => new RegExp(`^(?:${o.matcher.options})$`));
  const rows = d.series.flatMap((s, i) =>
    s.points.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => ({ t: t * 1000, v, series: s.legend, style: dashed.some((r) => r.test(s.legend)) ? 'threshold' : 'value', i })),
  );
  const min = d.panel.fieldConfig?.defaults?.min;
  const max = d.panel.fieldConfig?.defaults?.max;
  const anns = dedupe(d.annotations).map((a) => ({ t: a.time * 1000, title: a.title, color: a.color, row: a.row }));
  const order = [...new Set(d.series.map((s) => s.legend))];
  // What every panel's chart shares: the canvas and the panel's title.
  const frame = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    background: 'white',
    padding: 12,
    title: { text: d.panel.title, anchor: 'start', fontSize: 16, font: FONT, offset: 10 },
  };
  const bars = d.panel.fieldConfig?.defaults?.custom?.drawStyle === 'bars';
  if (bars) {
    return {
      ...frame,
      config: { font: FONT, axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' }, legend: { labelFontSize: 12, orient: 'bottom', title: null }, view: { stroke: '#cccccc' } },
      data: { values: rows },
      mark: { type: 'bar', opacity: 0.85 },
      encoding: {
        x: { field: 't', type: 'ordinal', timeUnit: 'utcyearmonthdate', title: 'UTC day', axis: { labelAngle: 0, format: '%Y-%m-%d' } },
        xOffset: { field: 'series', type: 'nominal' },
        y: { field: 'v', type: 'quantitative', title: u.title, axis: { format: u.format } },
        color: { field: 'series', type: 'nominal', scale: { scheme: 'tableau10' } },
      },
    } as TopLevelSpec;
  }
  return {
    ...frame,
    config: {
      font: FONT,
      axis: { labelFontSize: 11, titleFontSize: 12, labelFont: FONT, titleFont: FONT, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 12, labelFont: FONT, orient: 'bottom', direction: 'horizontal', columns: 2, labelLimit: 420, symbolStrokeWidth: 3, title: null },
      view: { stroke: '#cccccc' },
    },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' },
        encoding: {
          x: { field: 't', type: 'temporal', title: null, axis: { format: '%H:%M:%S', labelAngle: 0, tickCount: 8 } },
          y: { field: 'v', type: 'quantitative', title: u.title, axis: { format: u.format }, scale: { ...(min !== undefined ? { domainMin: min } : {}), ...(max !== undefined ? { domainMax: max } : {}), zero: min !== undefined } },
          color: { field: 'series', type: 'nominal', scale: { scheme: 'tableau10' } },
          strokeDash: { field: 'style', type: 'nominal', legend: null, scale: { domain: ['value', 'threshold'], range: [[1, 0], [7, 4]] } },
          // Earlier series drawn wider, so a series lying on top of another leaves it visible.
          strokeWidth: { field: 'i', type: 'ordinal', legend: null, scale: { domain: order.map((_s, i) => i), range: order.map((_s, i) => Math.max(2, 6 - 2 * i)) } },
          order: { field: 'i', type: 'quantitative' },
        },
      },
      ...(anns.length > 0
        ? [
            {
              data: { values: anns },
              mark: { type: 'rule' as const, strokeWidth: 2, opacity: 0.8, strokeDash: [2, 2] },
              encoding: { x: { field: 't', type: 'temporal' as const }, color: { field: 'color', type: 'nominal' as const, scale: null, legend: null } },
            },
            // One text layer per annotation kind, each on its own row below the top edge.
            ...[...new Set(anns.map((a) => a.row))].map((row) => ({
              data: { values: anns.filter((a) => a.row === row) },
              mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4, fontSize: 12, fontWeight: 'bold' as const },
              encoding: { x: { field: 't', type: 'temporal' as const }, y: { value: row }, text: { field: 'title' }, color: { field: 'color', type: 'nominal' as const, scale: null, legend: null } },
            })),
          ]
        : []),
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

function statSpec(d: PanelData, width: number): TopLevelSpec {
  const unit = d.panel.fieldConfig?.defaults?.unit;
  const rows = d.series.map((s) => {
    const last = [...s.points].reverse().find(([, v]) => Number.isFinite(v));
    // Value mappings, as Grafana applies them to a stat (0 → "within budget").
    const mapped = last ? d.panel.fieldConfig?.defaults?.mappings?.find((m) => m.type === 'value')?.options[String(last[1])]?.text : undefined;
    const value = mapped ?? (last ? formatValue(last[1], unit) : 'no data');
    const text = d.textMode === 'name' ? s.legend : d.textMode === 'value' ? value : `${s.legend}: ${value}`;
    return { text };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height: Math.max(40, rows.length * 40),
    background: 'white',
    padding: 12,
    title: { text: d.panel.title, anchor: 'start', fontSize: 16, font: FONT, offset: 10 },
    config: { font: FONT, view: { stroke: null } },
    data: { values: rows.map((r, i) => ({ ...r, i })) },
    mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 26, fontWeight: 'bold', color: '#1f60c4' },
    encoding: { x: { value: 4 }, y: { field: 'i', type: 'ordinal', axis: null }, text: { field: 'text' } },
  } as TopLevelSpec;
}

/**
 * One mark per event: an annotation query over a window wider than its step
 * (Grafana's $__rate_interval) reports an event at consecutive steps; keep the
 * first of each run. Each annotation kind gets its own label row.
 */
function dedupe(anns: readonly PanelAnnotation[], gapSeconds = 6): Array<PanelAnnotation & { row: number }> {
  const kinds = [...new Set(anns.map((a) => a.name))];
  const out: Array<PanelAnnotation & { row: number }> = [];
  const last = new Map<string, number>();
  for (const a of [...anns].sort((x, y) => x.time - y.time)) {
    const prev = last.get(a.name);
    last.set(a.name, a.time);
    if (prev !== undefined && a.time - prev <= gapSeconds) continue;
    out.push({ ...a, row: 4 + 16 * kinds.indexOf(a.name) });
  }
  return out;
}

/** The panel as an SVG document. */
export async function panelSVG(d: PanelData): Promise<string> {
  const width = Math.max(420, d.panel.gridPos.w * 52);
  const height = Math.max(180, d.panel.gridPos.h * 34 - 40);
  const spec = d.kind === 'stat' ? statSpec(d, width) : timeseriesSpec(d, width, height);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** The panel as a PNG (twice the SVG's size, for sharp text). */
export async function panelPNG(d: PanelData): Promise<Buffer> {
  const svg = await panelSVG(d);
  const resvg = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT }, fitTo: { mode: 'zoom', value: 2 }, background: 'white' });
  return Buffer.from(resvg.render().asPng());
}
