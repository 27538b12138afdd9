/**
 * Charts as SVG (and PNG) through Vega-Lite and Vega in headless mode (renderer `none`, then
 * `View.toSVG()`), and resvg for PNG. Vega and Vega-Lite are ES modules; they are loaded with a
 * dynamic `import()` on first use.
 */
import { Resvg } from '@resvg/resvg-js';

type VegaLiteSpec = Record<string, unknown>;

/**
 * Renders a Vega-Lite specification (https://vega.github.io/vega-lite/docs/spec.html) to SVG
 * text.
 * @throws Error from Vega-Lite's compiler for an invalid specification.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  // Errors only: Vega-Lite's warnings about our own specs ("Domains that should be unioned has
  // conflicting sort properties") are noise to a user who asked for a report.
  const logger = vega.logger(vega.Error);
  const compiled = vl.compile(spec as never, { logger } as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG text to PNG bytes at `scale` × its size (system fonts). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true }, background: 'white' });
  return Buffer.from(r.render().asPng());
}

/** Fonts large enough to read at the chart's size (Vega-Lite `config`, sizes in px). */
const READABLE = {
  title: { fontSize: 16, anchor: 'start' },
  axis: { labelFontSize: 13, titleFontSize: 14 },
  legend: { labelFontSize: 13, titleFontSize: 14 },
};

/**
 * A chart of ratios vs -Oz: `bars` (layers over `values`) on a ratio axis from 0 to a little past
 * the largest ratio (at least 1), with a dashed rule at 1.0 (-Oz).
 */
function ratioChart(title: string, values: ReadonlyArray<{ ratio: number }>, width: number, bars: (x: VegaLiteSpec) => VegaLiteSpec[]): Promise<string> {
  const hi = Math.max(1, ...values.map((v) => v.ratio)) * 1.08;
  const x = { field: 'ratio', type: 'quantitative', title: 'n_Oz / n (higher is better; 1 = -Oz)', scale: { domain: [0, hi], nice: false } };
  return renderSvg({
    title,
    width,
    background: 'white',
    config: READABLE,
    data: { values },
    layer: [...bars(x), { data: { values: [{ x: 1 }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } }],
  });
}

/**
 * A horizontal bar chart of ratios vs -Oz (`n_Oz / n`, higher is better), one bar per label,
 * green at or above 1.0 and red below, with a dashed rule at 1.0 (-Oz). The axis starts at 0, so
 * that bar lengths compare as the ratios do. `valueLabels` prints each value beside its bar.
 * `width` in px (default 720).
 */
export function ratioBarChart(title: string, values: ReadonlyArray<{ label: string; ratio: number }>, options: { width?: number; valueLabels?: boolean } = {}): Promise<string> {
  const data = values.map((v) => ({ label: v.label, ratio: Number(v.ratio.toFixed(4)) }));
  const y = { field: 'label', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 600 } };
  return ratioChart(title, data, options.width ?? 720, (x) => [
    { mark: { type: 'bar' }, encoding: { y, x, color: { condition: { test: 'datum.ratio >= 1', value: '#2a7' }, value: '#c64' } } },
    ...(options.valueLabels ? [{ mark: { type: 'text', align: 'left', dx: 3, fontSize: 12 }, encoding: { y, x: { field: 'ratio', type: 'quantitative' }, text: { field: 'ratio', type: 'quantitative', format: '.3f' } } }] : []),
  ]);
}

/**
 * Agents side by side on one dataset: per benchmark (and a `geomean` group first), one bar per
 * agent of its ratio vs -Oz (`n_Oz / n`), coloured by agent, with a dashed rule at 1.0 (-Oz). The
 * axis starts at 0. `width` in px (default 720).
 */
export function agentComparisonChart(
  title: string,
  values: ReadonlyArray<{ agent: string; label: string; ratio: number }>,
  options: { width?: number } = {},
): Promise<string> {
  const data = values.map((v) => ({ ...v, ratio: Number(v.ratio.toFixed(4)) }));
  const order = [...new Set(data.map((v) => v.label))];
  const y = { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 600 } };
  return ratioChart(title, data, options.width ?? 720, (x) => [
    {
      mark: { type: 'bar' },
      encoding: {
        y,
        x,
        yOffset: { field: 'agent', type: 'nominal' },
        color: { field: 'agent', type: 'nominal', title: 'agent', legend: { orient: 'bottom', direction: 'vertical', labelLimit: 600 } },
      },
    },
  ]);
}
