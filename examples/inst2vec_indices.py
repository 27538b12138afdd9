#!/usr/bin/env python3
"""Inst2vec indices and embeddings as program features.

For a few benchmarks, observes ``Inst2vecEmbeddingIndices`` (each statement's index in PassGym's
inst2vec vocabulary, ``!UNK`` = 0) and ``Inst2vec`` (their 200-dimensional embeddings), prints how
much of each program the vocabulary knows and its most frequent statements, then compares the
programs by the cosine similarity of their mean embedding vectors, at -O0 and after ``-Oz``: a
sequence model or a bag-of-statements policy would consume exactly these arrays.

    /usr/bin/python3 examples/inst2vec_indices.py [--benchmarks URI ...]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
import passgym  # noqa: E402

DEFAULT_BENCHMARKS = [f"benchmark://embedded-v0/{b}" for b in ["qsort", "crc32", "sha256", "dijkstra"]]


def program_vector(env) -> np.ndarray:
    """Mean of the state's Inst2vec rows: one 200-float vector per program."""
    return env.observation["Inst2vec"].mean(axis=0)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--benchmarks", nargs="+", default=DEFAULT_BENCHMARKS)
    p.add_argument("--endpoint", help="a passgym serve endpoint (default: a private server)")
    args = p.parse_args(argv)

    vectors = {"-O0": [], "-Oz": []}
    with passgym.make("llvm-v0", action_space="PassesWithLevels", endpoint=args.endpoint) as env:
        encoder = env.inst2vec
        print(f"vocabulary {encoder.version}: {len(encoder.vocab)} statements, dimension {encoder.dim}")
        for uri in args.benchmarks:
            env.reset(benchmark=uri)
            indices = env.observation["Inst2vecEmbeddingIndices"]
            unknown = float(np.mean(indices == encoder.unknown_index))
            print(f"\n{uri}: {len(indices)} statements, {unknown:.1%} !UNK")
            for index, n in Counter(indices.tolist()).most_common(3):
                print(f"  {n:4d} x [{index:4d}] {encoder.vocabulary[index]}")
            vectors["-O0"].append(program_vector(env))
            env.step("default<Oz>")
            after = env.observation["Inst2vecEmbeddingIndices"]
            print(f"  after -Oz: {len(after)} statements, {float(np.mean(after == encoder.unknown_index)):.1%} !UNK")
            vectors["-Oz"].append(program_vector(env))

    names = [u.rsplit("/", 1)[-1] for u in args.benchmarks]
    for level, vs in vectors.items():
        m = np.array(vs)
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        sim = m @ m.T
        print(f"\ncosine similarity of mean embeddings at {level}:")
        print("          " + " ".join(f"{n:>9}" for n in names))
        for n, row in zip(names, sim):
            print(f"{n:>9} " + " ".join(f"{x:9.3f}" for x in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
