/**
 * Comparing printed IR up to names: two modules with the same code can print different local
 * value names and block labels (a clone's symbol tables restart their uniquing counters, and a
 * second parse in one context renames struct types), so code comparisons drop them.
 */

/** Printed IR with `%names` and block labels replaced by placeholders and runs of spaces collapsed. */
export function withoutLocalNames(ir: string): string {
  return ir
    .replace(/%[-a-zA-Z$._][-a-zA-Z$._0-9]*/g, '%N')
    .replace(/^[-a-zA-Z$._0-9]+:/gm, 'L:')
    .replace(/ +/g, ' ');
}
