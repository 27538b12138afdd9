#!/usr/bin/env python3
"""Programl to networkx and to a tiny graph neural network, before and after a few passes.

Observes the ProGraML graph (Cummins et al., ICML 2021) of a benchmark, prints what networkx
sees in it (node and edge kinds, the busiest instructions), then runs a two-layer message-passing
network written in numpy over PassGym's column form of the same graph (``env.programl()``: node
types, per-flow ``edge_index``, as PyTorch Geometric takes them) and prints the graph embedding's
change after each pass. The weights are random (seeded): the point is the plumbing, not a trained
model.

    /usr/bin/python3 examples/programl_gnn.py [--benchmark URI] [--passes mem2reg,instcombine,simplifycfg]

networkx (Debian ``python3-networkx``) is optional: without it the networkx part is skipped.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
import passgym  # noqa: E402
from passgym.programl import networkx_available  # noqa: E402

NODE_TYPES = ["instruction", "variable", "constant"]
FLOWS = ["control", "data", "call"]
TEXT_BUCKETS = 16
HIDDEN = 32


def describe_with_networkx(graph) -> None:
    """What networkx sees: node and edge kinds, and the instructions with the most edges."""
    types = Counter(NODE_TYPES[d["type"]] for _, d in graph.nodes(data=True))
    flows = Counter(FLOWS[d["flow"]] for _, _, d in graph.edges(data=True))
    print(f"networkx: {graph.number_of_nodes()} nodes {dict(types)}, {graph.number_of_edges()} edges {dict(flows)}")
    # Node 0 is ProGraML's [external] root, and each declared function has a '; undefined function' node.
    instructions = (n for n, d in graph.nodes(data=True) if d["type"] == 0 and not d["text"].startswith(("[", ";")))
    busiest = sorted(instructions, key=graph.degree, reverse=True)[:3]
    for n in busiest:
        print(f"  degree {graph.degree(n):3d}: {graph.nodes[n]['text']}")


def node_features(g: passgym.ProgramGraph) -> np.ndarray:
    """[N, 3 + TEXT_BUCKETS]: one-hot node type and a one-hot bucket of the node's text."""
    x = np.zeros((g.num_nodes, len(NODE_TYPES) + TEXT_BUCKETS), dtype=np.float32)
    x[np.arange(g.num_nodes), g.node_type] = 1
    buckets = np.fromiter((sum(t.encode()) % TEXT_BUCKETS for t in g.node_text), dtype=np.int64, count=g.num_nodes)
    x[np.arange(g.num_nodes), len(NODE_TYPES) + buckets] = 1
    return x


class TinyGnn:
    """Two rounds of h' = relu(h W_self + sum_flow mean_{u -> v in flow} h_u W_flow), then a mean
    and max readout: a graph vector of 2 * HIDDEN floats."""

    def __init__(self, in_dim: int, seed: int = 0):
        rng = np.random.default_rng(seed)
        dims = [in_dim, HIDDEN, HIDDEN]
        self.layers = [
            {name: rng.normal(0, 1 / np.sqrt(d_in), (d_in, d_out)).astype(np.float32) for name in ["self", *FLOWS]}
            for d_in, d_out in zip(dims, dims[1:])
        ]

    def __call__(self, g: passgym.ProgramGraph) -> np.ndarray:
        h = node_features(g)
        for w in self.layers:
            out = h @ w["self"]
            for flow, name in enumerate(FLOWS):
                src, dst = g.edge_index(flow)
                if len(src) == 0:
                    continue
                messages = np.zeros((g.num_nodes, h.shape[1]), dtype=np.float32)
                np.add.at(messages, dst, h[src])
                indegree = np.maximum(np.bincount(dst, minlength=g.num_nodes), 1)[:, None]
                out += (messages / indegree) @ w[name]
            h = np.maximum(out, 0)
        return np.concatenate([h.mean(axis=0), h.max(axis=0)])


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) or 1.0))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--benchmark", default="benchmark://embedded-v0/qsort")
    p.add_argument("--passes", default="mem2reg,instcombine,simplifycfg", help="comma-separated actions to apply")
    p.add_argument("--endpoint", help="a passgym serve endpoint (default: a private server)")
    args = p.parse_args(argv)

    with passgym.make("llvm-v0", benchmark=args.benchmark, endpoint=args.endpoint) as env:
        env.reset()
        if networkx_available():
            describe_with_networkx(env.observation["Programl"])
        else:
            print("networkx is not installed (apt-get install python3-networkx): skipping the networkx part")
        g = env.programl()
        gnn = TinyGnn(node_features(g).shape[1])
        first = previous = gnn(g)
        print(f"{'state':<14} {'nodes':>6} {'edges':>6}  cos(prev)  cos(start)")
        print(f"{'start':<14} {g.num_nodes:6d} {g.num_edges:6d}")
        for name in args.passes.split(","):
            env.step(name)
            g = env.programl()
            vec = gnn(g)
            print(f"{'+' + name:<14} {g.num_nodes:6d} {g.num_edges:6d}  {cosine(vec, previous):9.4f}  {cosine(vec, first):10.4f}")
            previous = vec
    return 0


if __name__ == "__main__":
    sys.exit(main())
