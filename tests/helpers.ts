/** Shared test helpers: real LLVM tools, no mocks. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { findLlvm } from '../env/llvm/library';

/** Counts instructions in printed IR: indented lines inside `define … { … }` bodies. */
export function countIrInstructions(ir: string): number {
  let inBody = false;
  let n = 0;
  for (const line of ir.split('\n')) {
    if (line.startsWith('define ')) inBody = true;
    else if (line === '}') inBody = false;
    else if (inBody && line.startsWith('  ') && line.trim() !== '' && !line.trim().startsWith(';')) n++;
  }
  return n;
}

/** Runs stock `opt-N` with a command line's `-passes` on `input`, returning the printed IR. */
export function runStockOpt(commandline: string, input: string): string {
  const m = /-passes='([^']*)'/.exec(commandline);
  const args = m ? [`-passes=${m[1]}`] : [];
  return execFileSync(findLlvm().tools.opt, [...args, '-S', input, '-o', '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

const made: string[] = [];
// Jest evaluates this module once per test file, so each file removes the folders it made.
if (typeof afterAll === 'function') afterAll(() => made.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A fresh temporary folder, removed after the test file's tests. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passgym-test-'));
  made.push(dir);
  return dir;
}

/** A small IR module with a loop, on which a bare `licm` (no MemorySSA) aborts LLVM 14. */
export const LOOP_IR = `
define i32 @sum(i32* %a, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s.next, %loop ]
  %p = getelementptr i32, i32* %a, i32 %i
  %v = load i32, i32* %p
  %s.next = add i32 %s, %v
  %i.next = add i32 %i, 1
  %c = icmp slt i32 %i.next, %n
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %s.next
}
`;

/**
 * A loop whose exit bound ends a chain of `links` dependent `udiv`s. LLVM 14's ScalarEvolution
 * builds the bound's SCEV recursively (about 1.1 KiB of stack a link), so with 3,000 links
 * `indvars` needs more than 2 MiB of stack and less than 8 MiB (it crashes `opt-14` under
 * `ulimit -s 2048` and passes under the default 8192).
 */
export function deepScevIr(links = 3000): string {
  const lines = ['define i64 @f(i64 %a, i64 %n) {', 'entry:', '  %c0 = udiv i64 %a, %n'];
  for (let i = 1; i <= links; i++) lines.push(`  %c${i} = udiv i64 %a, %c${i - 1}`);
  lines.push(
    '  br label %loop',
    'loop:',
    '  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]',
    '  %i.next = add i64 %i, 1',
    `  %cmp = icmp ult i64 %i.next, %c${links}`,
    '  br i1 %cmp, label %loop, label %exit',
    'exit:',
    '  ret i64 %i',
    '}',
    '',
  );
  return lines.join('\n');
}
