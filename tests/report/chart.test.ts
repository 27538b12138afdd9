import { renderSvg, svgToPng } from '../../agents/report/chart';

test('a Vega-Lite bar chart renders to SVG with its labels, and to PNG', async () => {
  const svg = await renderSvg({
    data: { values: [{ agent: 'greedy', geomean: 1.05 }, { agent: 'random', geomean: 1.02 }] },
    mark: 'bar',
    encoding: { x: { field: 'agent', type: 'nominal' }, y: { field: 'geomean', type: 'quantitative' } },
  });
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('greedy');
  const png = svgToPng(svg);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
});
