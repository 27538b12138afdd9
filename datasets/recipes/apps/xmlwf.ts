/**
 * `benchmark://apps-v0/xmlwf`: expat 2.2's `xmlwf` checker (with the expat parser), from the copy
 * that npm `node-expat` ships, parsing a generated XML catalog with namespaces and writing its
 * canonical form. Also home of `catalogXml`, the generated valid XML document shared with xmllint.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { npmPackage } from '../../../env/datasets/npm';
import { buildModule } from './zopfli';
import type { AppBuilder } from './types';

const EXPAT_NPM_SPEC = 'node-expat@2.4.1';

/** The internal DTD of `catalogXml`: the document is valid against it. */
const CATALOG_DTD = `<!DOCTYPE catalog [
<!ELEMENT catalog (meta, section+)>
<!ATTLIST catalog xmlns CDATA #FIXED "urn:passgym:catalog" xmlns:x CDATA #FIXED "urn:passgym:extra" version CDATA #REQUIRED>
<!ELEMENT meta (title, note*)>
<!ELEMENT title (#PCDATA)>
<!ELEMENT note (#PCDATA | b | i)*>
<!ELEMENT section (item+)>
<!ATTLIST section name CDATA #REQUIRED id ID #REQUIRED>
<!ELEMENT item (name, desc, tags?, code?, x:stock?)>
<!ATTLIST item id ID #REQUIRED price CDATA #REQUIRED currency (EUR | USD | JPY) "EUR" related IDREFS #IMPLIED x:rating CDATA #IMPLIED>
<!ELEMENT name (#PCDATA)>
<!ELEMENT desc (#PCDATA | b | i)*>
<!ELEMENT b (#PCDATA)>
<!ELEMENT i (#PCDATA)>
<!ELEMENT tags (tag+)>
<!ELEMENT tag (#PCDATA)>
<!ELEMENT code (#PCDATA)>
<!ELEMENT x:stock EMPTY>
<!ATTLIST x:stock count CDATA #REQUIRED warehouse NMTOKEN #IMPLIED>
<!ENTITY company "Passgym &amp; Sons">
<!ENTITY motto "made with &company; (&copy; 2024)">
<!ENTITY copy "&#169;">
]>`;

/**
 * A seeded XML document of about `items` items (~420 bytes each), valid against its internal DTD:
 * namespaces, ID/IDREFS, entities, character references, multibyte UTF-8, mixed content, CDATA
 * sections, comments and processing instructions. Deterministic for a given seed and size.
 */
export function catalogXml(seed: string, items: number): string {
  const rng = seedrandom(seed);
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  const syll = ['ka', 'ro', 'mi', 'te', 'su', 'la', 'no', 'vi', 'ze', 'pu', 'an', 'or', 'é', 'ü', 'ø'];
  const word = () => Array.from({ length: 1 + int(4) }, () => pick(syll)).join('');
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  const extras = ['&amp;', '&lt;', '&gt;', '&quot;', '&#x263A;', '&#8364;', '中文', 'Ωμέγα', '&company;', '&copy;'];
  const text = (n: number) => Array.from({ length: n }, () => (rng() < 0.12 ? pick(extras) : word())).join(' ');
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', CATALOG_DTD, '<catalog xmlns="urn:passgym:catalog" xmlns:x="urn:passgym:extra" version="1">'];
  out.push(`<meta><title>Catalog ${seed}</title><note>Published by &company;. &motto; <b>${words(4)}</b> ${text(10)}</note></meta>`);
  let id = 0;
  while (id < items) {
    const section = `s${out.length}`;
    out.push(`<section name="${words(2)}" id="${section}">`);
    if (rng() < 0.5) out.push(`<!-- section ${section}: ${words(5)} -->`);
    const n = Math.min(items - id, 5 + int(40));
    for (let k = 0; k < n; k++) {
      id++;
      const attrs = [`id="i${id}"`, `price="${(int(100000) / 100).toFixed(2)}"`];
      if (rng() < 0.6) attrs.push(`currency="${pick(['EUR', 'USD', 'JPY'])}"`);
      if (id > 3 && rng() < 0.4) attrs.push(`related="i${1 + int(id - 1)} i${1 + int(id - 1)}"`);
      if (rng() < 0.5) attrs.push(`x:rating="${1 + int(5)}"`);
      const parts = [`<item ${attrs.join(' ')}>`, `<name>${words(2)}</name>`];
      parts.push(`<desc>${text(8 + int(25))}${rng() < 0.4 ? ` <b>${words(2)}</b>` : ''}${rng() < 0.3 ? ` <i>${text(3)}</i>` : ''}</desc>`);
      if (rng() < 0.7) parts.push(`<tags>${Array.from({ length: 1 + int(4) }, () => `<tag>${word()}</tag>`).join('')}</tags>`);
      if (rng() < 0.3) parts.push(`<code><![CDATA[if (a < b && c > d) { x = "${word()}"; }]]></code>`);
      if (rng() < 0.2) parts.push(`<?render mode="${pick(['fast', 'full'])}"?>`);
      if (rng() < 0.5) parts.push(`<x:stock count="${int(1000)}"${rng() < 0.5 ? ` warehouse="w${int(9)}"` : ''}/>`);
      parts.push('</item>');
      out.push(parts.join('\n  '));
    }
    out.push('</section>');
  }
  out.push('</catalog>');
  return out.join('\n') + '\n';
}

/** xmlwf (`xmlwf -n -d . in/catalog.xml`) writing the namespace-aware canonical form of a generated catalog. */
export const xmlwfApp: AppBuilder = {
  id: 'xmlwf',
  description: 'expat 2.2.1 xmlwf parsing a generated 5 MB XML catalog (DTD, namespaces, entities) and writing its canonical form',
  license: 'MIT (expat)',
  origin: `npm:${EXPAT_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const root = path.join(npmPackage(EXPAT_NPM_SPEC, ctx.work), 'deps', 'libexpat');
    const sources = ['lib/xmlparse.c', 'lib/xmlrole.c', 'lib/xmltok.c', 'xmlwf/xmlwf.c', 'xmlwf/xmlfile.c', 'xmlwf/codepage.c', 'xmlwf/unixfilemap.c'];
    // expat_config.h is the configure output for Linux that the package ships.
    buildModule(ctx, 'xmlwf', root, sources, ['-w', '-DHAVE_EXPAT_CONFIG_H', `-I${root}`, `-I${path.join(root, 'lib')}`]);
    fs.mkdirSync(path.join(ctx.dir, 'xmlwf'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'xmlwf', 'catalog.xml'), catalogXml('passgym-xmlwf', 15000));
    return {
      args: ['-n', '-d', '.', 'in/catalog.xml'],
      inputs: { 'in/catalog.xml': 'xmlwf/catalog.xml' },
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: ['catalog.xml'],
    };
  },
};
