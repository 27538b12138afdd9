/**
 * `benchmark://apps-v0/cmark-gfm`: GitHub's CommonMark implementation with its extensions
 * (tables, strikethrough, task lists, autolinks, tag filter) and the `cmark-gfm` command, from
 * the copy that npm `cmark-gfm` vendors, rendering a generated Markdown document to HTML with
 * smart punctuation.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { npmPackage } from '../../../env/datasets/npm';
import { buildModule } from './zopfli';
import type { AppBuilder } from './types';

const CMARK_NPM_SPEC = 'cmark-gfm@0.9.0';

/** Library and extension units (the package's binding.gyp list) and the command's main.c. */
const UNITS = [
  'arena', 'blocks', 'buffer', 'cmark', 'cmark_ctype', 'commonmark', 'footnotes', 'houdini_href_e', 'houdini_html_e', 'houdini_html_u',
  'html', 'inlines', 'iterator', 'latex', 'linked_list', 'man', 'map', 'node', 'plaintext', 'plugin', 'references', 'registry', 'render',
  'scanners', 'syntax_extension', 'utf8', 'xml', 'autolink', 'core-extensions', 'ext_scanners', 'strikethrough', 'table', 'tagfilter',
  'tasklist', 'main',
];

/**
 * A seeded Markdown document of `sections` sections: headings, paragraphs with emphasis, links,
 * code spans and entities, nested lists, task lists, block quotes, fenced and indented code,
 * tables, raw HTML, reference links and smart-punctuation material. Deterministic per seed.
 */
export function markdownDocument(seed: string, sections: number): string {
  const rng = seedrandom(seed);
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  const syll = ['ra', 'to', 'ne', 'mi', 'ka', 'su', 'lo', 'pe', 'di', 'an', 'or', 'ex', 'ul'];
  const word = () => Array.from({ length: 1 + int(3) }, () => pick(syll)).join('');
  const inline = () => {
    const r = rng();
    const w = word();
    if (r < 0.06) return `*${w} ${word()}*`;
    if (r < 0.1) return `**${w}**`;
    if (r < 0.13) return `\`${w}()\``;
    if (r < 0.16) return `[${w}](https://example.org/${w}/${int(100)} "${word()}")`;
    if (r < 0.18) return `[${w}][ref${int(20)}]`;
    if (r < 0.2) return `~~${w}~~`;
    if (r < 0.22) return `https://www.example.com/${w}`;
    if (r < 0.24) return `"${w}"`;
    if (r < 0.25) return `${w}'s`;
    if (r < 0.26) return `${w} -- ${word()}...`;
    if (r < 0.27) return `&copy; &#x${(0x3b1 + int(20)).toString(16)};`;
    if (r < 0.28) return `<span class="${w}">${word()}</span>`;
    if (r < 0.29) return `${w}\\*`;
    return w;
  };
  const sentence = (n: number) => {
    const ws = Array.from({ length: n }, inline);
    ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
    return ws.join(' ') + pick(['.', '.', '!', '?', ':']);
  };
  const paragraph = () => Array.from({ length: 2 + int(5) }, () => sentence(5 + int(12))).join(rng() < 0.5 ? ' ' : '\n');
  const out: string[] = [`# Generated document ${seed}`, ''];
  for (let s = 0; s < sections; s++) {
    out.push(`${'#'.repeat(2 + int(3))} ${sentence(3)}`, '', paragraph(), '');
    const blocks = 2 + int(5);
    for (let b = 0; b < blocks; b++) {
      const kind = int(9);
      if (kind === 0) {
        for (let i = 0; i < 2 + int(5); i++) {
          out.push(`- ${sentence(4 + int(6))}`);
          if (rng() < 0.3) for (let j = 0; j < 1 + int(3); j++) out.push(`  ${j + 1}. ${sentence(3 + int(4))}`);
        }
      } else if (kind === 1) {
        for (let i = 0; i < 2 + int(4); i++) out.push(`- [${rng() < 0.5 ? 'x' : ' '}] ${sentence(3 + int(5))}`);
      } else if (kind === 2) {
        out.push(...paragraph().split('\n').map((l) => `> ${l}`));
        if (rng() < 0.3) out.push('>', `> > ${sentence(6)}`);
      } else if (kind === 3) {
        out.push(`\`\`\`${pick(['c', 'js', 'python', ''])}`);
        for (let i = 0; i < 2 + int(8); i++) out.push(`${'  '.repeat(int(3))}${word()}(${word()}, ${int(1000)}); // <${word()}> & "x"`);
        out.push('```');
      } else if (kind === 4) {
        for (let i = 0; i < 2 + int(4); i++) out.push(`    ${word()} = ${int(100)} * ${word()};`);
      } else if (kind === 5) {
        const cols = 2 + int(4);
        out.push(`| ${Array.from({ length: cols }, word).join(' | ')} |`);
        out.push(`|${Array.from({ length: cols }, () => pick([' --- ', ':---', '---:', ':---:'])).join('|')}|`);
        for (let r = 0; r < 2 + int(8); r++) out.push(`| ${Array.from({ length: cols }, () => (rng() < 0.3 ? inline() : String(int(10000)))).join(' | ')} |`);
      } else if (kind === 6) {
        out.push(`<div class="${word()}">`, `<p>${word()} &amp; ${word()}</p>`, '</div>');
      } else if (kind === 7) {
        out.push('***');
      } else {
        out.push(paragraph());
      }
      out.push('');
    }
  }
  for (let i = 0; i < 20; i++) out.push(`[ref${i}]: https://example.net/ref/${i} "Reference ${i}"`);
  return out.join('\n') + '\n';
}

/** cmark-gfm rendering a generated ~2.2 MB Markdown document to HTML. */
export const cmarkGfmApp: AppBuilder = {
  id: 'cmark-gfm',
  description: 'cmark-gfm 0.29 (CommonMark + GitHub extensions) rendering a generated 2.2 MB Markdown document to HTML with smart punctuation',
  license: 'BSD-2-Clause (cmark-gfm)',
  origin: `npm:${CMARK_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const root = path.join(npmPackage(CMARK_NPM_SPEC, ctx.work), 'vendor', 'cmark');
    // main.c includes "../extensions/cmark-gfm-core-extensions.h" (the upstream layout, flattened
    // in the package): a copy of the header at <shim>/extensions/ found through -I<shim>/include.
    const shim = path.join(ctx.work, 'cmark-gfm-shim');
    fs.mkdirSync(path.join(shim, 'extensions'), { recursive: true });
    fs.mkdirSync(path.join(shim, 'include'), { recursive: true });
    fs.copyFileSync(path.join(root, 'cmark-gfm-core-extensions.h'), path.join(shim, 'extensions', 'cmark-gfm-core-extensions.h'));
    // config.h, cmark-gfm_export.h and cmark-gfm_version.h are the package's generated headers.
    const flags = ['-w', '-std=c99', '-DCMARK_GFM_STATIC_DEFINE', '-DCMARK_GFM_EXTENSIONS_STATIC_DEFINE', `-I${root}`, `-I${path.join(shim, 'include')}`];
    buildModule(ctx, 'cmark-gfm', root, UNITS.map((u) => `${u}.c`), flags);
    fs.mkdirSync(path.join(ctx.dir, 'cmark-gfm'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'cmark-gfm', 'doc.md'), markdownDocument('passgym-cmark-gfm', 2000));
    return {
      args: ['--smart', '--unsafe', '-e', 'table', '-e', 'strikethrough', '-e', 'tasklist', '-e', 'autolink', '-e', 'tagfilter', 'doc.md'],
      inputs: { 'doc.md': 'cmark-gfm/doc.md' },
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
