/**
 * `benchmark://apps-v0/xmllint`: libxml2 2.9.9's `xmllint` (with the whole library), from the
 * copy that npm `libxmljs2` vendors (configured there for Linux without threads, iconv, zlib or
 * lzma), validating a generated XML catalog against its DTD, substituting entities and writing it
 * reformatted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { npmPackage } from '../../../env/datasets/npm';
import { catalogXml } from './xmlwf';
import { buildModule } from './zopfli';
import type { AppBuilder } from './types';

const LIBXML_NPM_SPEC = 'libxmljs2@0.35.0';

/** Programs with their own main (or trio, unused without WITH_TRIO) in the vendored folder. */
const NOT_LINKED = new Set(['xmlcatalog.c', 'runsuite.c', 'rngparser.c', 'trio.c', 'triostr.c', 'trionan.c']);

/** xmllint (`xmllint --valid --noent --format`) on a generated 3 MB catalog. */
export const xmllintApp: AppBuilder = {
  id: 'xmllint',
  description: 'libxml2 2.9.9 xmllint validating a generated 3 MB XML catalog against its DTD, substituting entities and pretty-printing it',
  license: 'MIT (libxml2)',
  origin: `npm:${LIBXML_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const root = path.join(npmPackage(LIBXML_NPM_SPEC, ctx.work), 'vendor', 'libxml');
    // config.h and include/libxml/xmlversion.h are the package's own configure output for Linux.
    const sources = fs.readdirSync(root).filter((f) => f.endsWith('.c') && !NOT_LINKED.has(f)).sort();
    buildModule(ctx, 'xmllint', root, sources, ['-w', `-I${root}`, `-I${path.join(root, 'include')}`]);
    fs.mkdirSync(path.join(ctx.dir, 'xmllint'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'xmllint', 'catalog.xml'), catalogXml('passgym-xmllint', 10000));
    return {
      args: ['--valid', '--noent', '--format', 'catalog.xml'],
      inputs: { 'catalog.xml': 'xmllint/catalog.xml' },
      linkArgs: ['-lm', '-ldl'],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
