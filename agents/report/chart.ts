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
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
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
