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

/**
 * A horizontal bar chart of ratios vs -Oz (`n_Oz / n`, higher is better), one bar per label,
 * green at or above 1.0 and red below, with a dashed rule at 1.0 (-Oz). `valueLabels` prints each
 * value beside its bar.
 */
export function ratioBarChart(title: string, values: ReadonlyArray<{ label: string; ratio: number }>, options: { width?: number; valueLabels?: boolean } = {}): Promise<string> {
  const data = values.map((v) => ({ label: v.label, ratio: Number(v.ratio.toFixed(4)) }));
  const lo = Math.min(0.9, ...data.map((v) => v.ratio)) - 0.02;
  const hi = Math.max(1, ...data.map((v) => v.ratio)) + 0.02;
  const y = { field: 'label', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 420 } };
  const x = { field: 'ratio', type: 'quantitative' };
  return renderSvg({
    title,
    width: options.width ?? 480,
    background: 'white',
    data: { values: data },
    layer: [
      {
        mark: { type: 'bar', clip: true },
        encoding: { y, x: { ...x, title: 'n_Oz / n (higher is better)', scale: { domain: [lo, hi] } }, color: { condition: { test: 'datum.ratio >= 1', value: '#2a7' }, value: '#c64' } },
      },
      ...(options.valueLabels ? [{ mark: { type: 'text', align: 'left', dx: 3 }, encoding: { y, x, text: { field: 'ratio', type: 'quantitative', format: '.3f' } } }] : []),
      { data: { values: [{ x: 1 }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
    ],
  });
}
