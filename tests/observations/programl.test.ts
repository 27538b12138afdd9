/**
 * Programl / ProgramlJson: the ProGraML graph of small hand-checked functions, node by node and
 * edge by edge (ProGraML v0.3.2's rules: a variable node per use of an instruction result, one
 * node per used argument and per distinct constant, control positions = successor index), and the
 * node-link JSON of the same graph.
 */
import fs from 'node:fs';
import path from 'node:path';
import { make } from '../../env/registry';
import { WorkerPool } from '../../env/session/pool';
import { findLlvm } from '../../env/llvm/library';
import { programGraphToNodeLink, type ProgramGraph } from '../../env/observations/programl-graph';
import { tempDir } from '../helpers';

const pool = new WorkerPool({ maxWorkers: 1 });
afterAll(() => pool.close());

/** Typed pointers before LLVM 17 (`i32*`), opaque ones after (`ptr`). */
const PTR = findLlvm().major >= 17 ? 'ptr' : 'i32*';

async function graphOf(ir: string): Promise<ProgramGraph> {
  const file = path.join(tempDir(), 'm.ll');
  fs.writeFileSync(file, ir);
  const env = await make('llvm-v0', { pool, benchmark: `file://${file}` });
  try {
    await env.reset();
    return (await env.observe('Programl')) as ProgramGraph;
  } finally {
    await env.close();
  }
}

const nodes = (g: ProgramGraph) => g.nodeType.map((t, i) => [t, g.nodeText[i], g.nodeFullText[i], g.nodeBlock[i]]);
const edges = (g: ProgramGraph) => g.edgeFlow.map((f, j) => `${['control', 'data', 'call'][f]} ${g.edgeSource[j]}->${g.edgeTarget[j]} ${g.edgePosition[j]}`);

test('add(a, b) at -O0: 19 nodes and 27 edges, as ProGraML\'s own test of this function', async () => {
  const g = await graphOf(`
define i32 @A(i32 %0, i32 %1) {
  %3 = alloca i32, align 4
  %4 = alloca i32, align 4
  store i32 %0, ${PTR} %3, align 4
  store i32 %1, ${PTR} %4, align 4
  %5 = load i32, ${PTR} %3, align 4
  %6 = load i32, ${PTR} %4, align 4
  %7 = add nsw i32 %5, %6
  ret i32 %7
}
`);
  const I = 0, V = 1, C = 2;
  expect(nodes(g)).toEqual([
    [I, '[external]', '', 0],
    [I, 'alloca', '%3 = alloca i32, align 4', 0],
    [I, 'alloca', '%4 = alloca i32, align 4', 0],
    [I, 'store', `store i32 %0, ${PTR} %3, align 4`, 0],
    [V, PTR, `${PTR} %3`, 0],
    [I, 'store', `store i32 %1, ${PTR} %4, align 4`, 0],
    [V, PTR, `${PTR} %4`, 0],
    [I, 'load', `%5 = load i32, ${PTR} %3, align 4`, 0],
    [V, PTR, `${PTR} %3`, 0],
    [I, 'load', `%6 = load i32, ${PTR} %4, align 4`, 0],
    [V, PTR, `${PTR} %4`, 0],
    [I, 'add', '%7 = add nsw i32 %5, %6', 0],
    [V, 'i32', 'i32 %5', 0],
    [V, 'i32', 'i32 %6', 0],
    [I, 'ret', 'ret i32 %7', 0],
    [V, 'i32', 'i32 %7', 0],
    [V, 'i32', 'i32 %0', 1], // arguments: after the function's blocks
    [V, 'i32', 'i32 %1', 1],
    [C, 'i32', 'i32 1', 1], // alloca's implicit array size, shared by both allocas
  ]);
  expect(edges(g)).toEqual([
    'control 1->2 0', 'control 2->3 0', 'data 4->3 1', 'control 3->5 0', 'data 6->5 1', 'control 5->7 0',
    'data 8->7 0', 'control 7->9 0', 'data 10->9 0', 'control 9->11 0', 'data 12->11 0', 'data 13->11 1',
    'control 11->14 0', 'data 15->14 0',
    'data 16->3 0', 'data 17->5 0', // argument variables to their uses
    'data 1->4 0', 'data 2->6 0', 'data 1->8 0', 'data 2->10 0', 'data 7->12 0', 'data 9->13 0', 'data 11->15 0', // producers
    'call 0->1 0', 'call 14->0 0', // the root calls the function, its return returns to the root
    'data 18->1 0', 'data 18->2 0',
  ]);
  expect(g.functions).toEqual([{ name: 'A', module: 0 }]);
  expect(g.nodeFunction.every((f) => f === 0)).toBe(true);
});

test('a loop with phis, branches and a call to a declared function', async () => {
  const g = await graphOf(`
define i32 @loop(i32 %0) {
  %2 = icmp sgt i32 %0, 0
  br i1 %2, label %5, label %3
3:
  %4 = phi i32 [ 0, %1 ], [ %9, %5 ]
  ret i32 %4
5:
  %6 = phi i32 [ %10, %5 ], [ 0, %1 ]
  %7 = phi i32 [ %9, %5 ], [ 0, %1 ]
  %8 = call i32 @f(i32 %6)
  %9 = add nsw i32 %8, %7
  %10 = add nuw nsw i32 %6, 1
  %11 = icmp eq i32 %10, %0
  br i1 %11, label %3, label %5
}
declare i32 @f(i32)
`);
  expect(g.nodeType.length).toBe(27);
  expect(nodes(g).map(([t, text]) => `${t}:${text}`)).toEqual([
    '0:[external]', '0:icmp', '0:br', '1:i1', '0:phi', '1:i32', '0:ret', '1:i32', '0:phi', '1:i32', '0:phi', '1:i32',
    '0:call', '1:i32', '0:add', '1:i32', '1:i32', '0:add', '1:i32', '0:icmp', '1:i32', '0:br', '1:i1',
    '1:i32', // the argument %0
    '0:; undefined function', // @f
    '2:i32', '2:i32', // the constants i32 0 and i32 1, in order of first use
  ]);
  expect(g.nodeFullText[23]).toBe('i32 %0');
  expect(g.nodeFullText.slice(25)).toEqual(['i32 0', 'i32 1']);
  expect(g.nodeBlock.slice(1, 4)).toEqual([0, 0, 0]);
  expect(g.nodeBlock[6]).toBe(1);
  expect(g.nodeBlock[21]).toBe(2);
  expect(g.nodeFunction[24]).toBe(1);
  const e = edges(g);
  // Between blocks, breadth first from the entry, at the successor's index.
  expect(e.filter((x) => /^control (2|21)->(4|8) /.test(x))).toEqual(['control 2->8 0', 'control 2->4 1', 'control 21->4 0', 'control 21->8 1']);
  // The root and @loop, the root and @f, the call site and @f.
  expect(e.filter((x) => x.startsWith('call'))).toEqual(['call 0->1 0', 'call 6->0 0', 'call 0->24 0', 'call 24->0 0', 'call 12->24 0', 'call 24->12 0']);
  // The argument feeds icmp (operand 0) and the second icmp (operand 1).
  expect(e.filter((x) => x.startsWith('data 23->'))).toEqual(['data 23->1 0', 'data 23->19 1']);
  // i32 0 feeds icmp (1), the phis (0, 1, 1); i32 1 feeds the increment (1).
  expect(e.filter((x) => /^data 2[56]->/.test(x))).toEqual(['data 25->1 1', 'data 25->4 0', 'data 25->8 1', 'data 25->10 1', 'data 26->17 1']);
  expect(e.filter((x) => x.startsWith('data')).length).toBe(11 + 11 + 2 + 5); // uses and producers of 11 variables, the argument's 2 uses, 5 constant uses
});

test('ProgramlJson is the node-link form of Programl, with a key per parallel edge', async () => {
  const file = path.join(tempDir(), 'm.ll');
  // The same constant twice in one instruction: two parallel edges 2 -> 1.
  fs.writeFileSync(file, 'define i32 @g() {\n  %1 = add i32 7, 7\n  ret i32 %1\n}\n');
  const env = await make('llvm-v0', { pool, benchmark: `file://${file}` });
  try {
    await env.reset();
    const { Programl: g, ProgramlJson: json } = (await env.observe(['Programl', 'ProgramlJson'])) as { Programl: ProgramGraph; ProgramlJson: Record<string, unknown> };
    expect(json).toEqual(programGraphToNodeLink(g));
    expect(json.directed).toBe(true);
    expect(json.multigraph).toBe(true);
    const links = json.links as { source: number; target: number; key: number; position: number }[];
    const constant = g.nodeType.indexOf(2);
    expect(links.filter((l) => l.source === constant).map((l) => [l.target, l.position, l.key])).toEqual([[1, 0, 0], [1, 1, 1]]);
    const node = (json.nodes as Record<string, unknown>[])[1];
    expect(node).toEqual({ block: 0, features: { full_text: ['%1 = add i32 7, 7'] }, function: 0, id: 1, text: 'add', type: 0 });
  } finally {
    await env.close();
  }
});

test('a switch, printed over several lines, is one instruction node whose full text has them all', async () => {
  const g = await graphOf(`
define i32 @s(i32 %0) {
  switch i32 %0, label %3 [
    i32 1, label %2
    i32 2, label %3
  ]
2:
  ret i32 1
3:
  ret i32 0
}
`);
  expect(g.nodeText.slice(1, 5)).toEqual(['switch', 'ret', 'ret', 'i32']);
  expect(g.nodeFullText[1]).toBe('switch i32 %0, label %3 [\n    i32 1, label %2\n    i32 2, label %3\n  ]');
  expect(g.nodeFullText[2]).toBe('ret i32 1');
  // Successors: default, then the cases (the control positions).
  expect(edges(g).filter((x) => x.startsWith('control 1->'))).toEqual(['control 1->3 0', 'control 1->2 1', 'control 1->3 2']);
});
