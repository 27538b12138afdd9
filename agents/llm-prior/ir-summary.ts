/**
 * What the LLM prompt says about a module's functions, read from its printed IR (the `Ir`
 * observation): the size of each defined function, and a bounded excerpt of the largest ones.
 */

/** One defined function of a module. */
export interface FunctionSize {
  /** Name without the `@`. */
  name: string;
  /** Instructions (indented, non-comment lines of the body). */
  instructions: number;
  /** Basic blocks (the entry block plus each label). */
  blocks: number;
  /** The function's text, from `define` to the closing `}`. */
  text: string;
}

/**
 * The defined functions of printed LLVM IR, largest first (ties by name).
 * Declarations (`declare`) have no body and are not listed.
 */
export function functionSizes(ir: string): FunctionSize[] {
  const out: FunctionSize[] = [];
  let current: { name: string; instructions: number; blocks: number; lines: string[] } | null = null;
  for (const line of ir.split('\n')) {
    if (current === null) {
      if (line.startsWith('define ')) {
        const m = /@("(?:[^"\\]|\\.)*"|[-\w$.]+)\s*\(/.exec(line);
        current = { name: m ? m[1].replace(/^"|"$/g, '') : '?', instructions: 0, blocks: 1, lines: [line] };
      }
      continue;
    }
    current.lines.push(line);
    if (line === '}') {
      out.push({ name: current.name, instructions: current.instructions, blocks: current.blocks, text: current.lines.join('\n') });
      current = null;
    } else if (line.startsWith('  ')) {
      if (!line.trimStart().startsWith(';')) current.instructions++;
    } else if (/^[-\w$."]+:/.test(line)) current.blocks++;
  }
  return out.sort((a, b) => b.instructions - a.instructions || a.name.localeCompare(b.name));
}

/**
 * The text of the largest functions, at most `maxChars` characters in all: whole functions while
 * they fit, then the head of the next one cut at a line boundary and marked
 * `; ... N more lines of @name`.
 * @param functions as returned by `functionSizes` (largest first).
 */
export function irExcerpt(functions: readonly FunctionSize[], maxChars: number): string {
  const parts: string[] = [];
  let left = maxChars;
  for (const f of functions) {
    if (left <= 0) break;
    if (f.text.length + 1 <= left) {
      parts.push(f.text);
      left -= f.text.length + 1;
      continue;
    }
    const lines = f.text.split('\n');
    const kept: string[] = [];
    let used = 0;
    for (const l of lines) {
      if (used + l.length + 1 > left - 60) break;
      kept.push(l);
      used += l.length + 1;
    }
    if (kept.length > 0) parts.push(`${kept.join('\n')}\n  ; ... ${lines.length - kept.length} more lines of @${f.name}`);
    break;
  }
  return parts.join('\n');
}
