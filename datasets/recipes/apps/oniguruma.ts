/**
 * `benchmark://apps-v0/oniguruma`: the Oniguruma 5.9 regular-expression library (all of its
 * encodings) from the copy that npm `oniguruma` ships, running its three test programs — `testc`
 * (EUC-JP patterns through the native API), `testu` (UTF-16) and `testc` built with POSIX_TEST
 * (the POSIX API) — each compiled with its `main` renamed and called for a number of rounds by a
 * small driver that PassGym writes, since one pass of the tests takes only milliseconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileToBitcode, linkBitcode } from '../../../env/datasets/build';
import { npmPackage } from '../../../env/datasets/npm';
import type { AppBuilder } from './types';

const ONIG_NPM_SPEC = 'oniguruma@7.2.3';

const LIB = ['regcomp', 'regenc', 'regerror', 'regexec', 'regext', 'reggnu', 'regparse', 'regposerr', 'regposix', 'regsyntax', 'regtrav', 'regversion', 'st'];

/** The driver: `main ROUNDS` runs the three renamed test mains ROUNDS times; exit status is their OR. */
const DRIVER_C = `/* Written by PassGym: repeats Oniguruma's test programs (see oniguruma.ts). */
#include <stdio.h>
#include <stdlib.h>
int testc_main(int argc, char *argv[]);
int testu_main(int argc, char *argv[]);
int testp_main(int argc, char *argv[]);
int main(int argc, char *argv[]) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1, r, rc = 0;
  for (r = 0; r < rounds; r++) {
    printf("== round %d\\n", r);
    rc |= testc_main(1, argv);
    rc |= testu_main(1, argv);
    rc |= testp_main(1, argv);
  }
  return rc;
}
`;

/** Oniguruma's testc/testu/POSIX tests, 20 rounds. */
export const onigurumaApp: AppBuilder = {
  id: 'oniguruma',
  description: 'Oniguruma 5.9.6 regex library running its testc (EUC-JP), testu (UTF-16) and POSIX test programs for 20 rounds (compile + match of ~2,000 patterns per round)',
  license: 'BSD-2-Clause (Oniguruma)',
  origin: `npm:${ONIG_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const root = path.join(npmPackage(ONIG_NPM_SPEC, ctx.work), 'deps', 'onig');
    const obj = path.join(ctx.work, 'oniguruma-bc');
    fs.mkdirSync(obj, { recursive: true });
    // config.h is the package's own configure output for Linux.
    const flags = ['-w', `-I${root}`, `-I${path.join(root, 'enc')}`];
    const units: string[] = [];
    const cc = (src: string, name: string, extra: string[] = []) => {
      const out = path.join(obj, `${name}.bc`);
      compileToBitcode(ctx.llvm, src, out, [...flags, ...extra]);
      units.push(out);
    };
    for (const f of LIB) cc(path.join(root, `${f}.c`), f);
    const encodings = fs.readdirSync(path.join(root, 'enc')).filter((f) => f.endsWith('.c') && f !== 'mktable.c').sort();
    for (const f of encodings) cc(path.join(root, 'enc', f), `enc_${f.slice(0, -2)}`);
    cc(path.join(root, 'testc.c'), 'testc', ['-Dmain=testc_main']);
    cc(path.join(root, 'testu.c'), 'testu', ['-Dmain=testu_main']);
    cc(path.join(root, 'testc.c'), 'testp', ['-DPOSIX_TEST', '-Dmain=testp_main']);
    const driver = path.join(obj, 'driver.c');
    fs.writeFileSync(driver, DRIVER_C);
    cc(driver, 'driver');
    linkBitcode(ctx.llvm, units, path.join(ctx.dir, 'oniguruma.bc'));
    return {
      args: ['20'],
      inputs: {},
      linkArgs: [],
      stdin: null,
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
