"""Steps per second of a Python random walk through ``passgym.make`` (its private server), for
``passgym bench python``.

Usage: /usr/bin/python3 python/bench_make.py BENCHMARK STEPS SEED [--no-effect]
Prints one JSON line: {"steps_per_second": ..., "steps": ..., "seconds": ..., "report_effect": ...}.
The walk: llvm-ic-v0 on BENCHMARK, seeded random actions, a new episode every 50 steps; the
private server's start is not timed.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import passgym  # noqa: E402


def main() -> None:
    benchmark, steps, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    effect = "--no-effect" not in sys.argv
    with passgym.make("llvm-ic-v0", benchmark=benchmark, report_effect=effect) as env:
        env.reset(seed=seed)
        env.step(0)  # warm: the worker has the benchmark loaded
        t0 = time.perf_counter()
        for k in range(steps):
            if k % 50 == 0:
                env.reset()
            env.step(env.action_space.sample())
        seconds = time.perf_counter() - t0
    print(json.dumps({"steps_per_second": steps / seconds, "steps": steps, "seconds": seconds, "report_effect": effect}))


if __name__ == "__main__":
    main()
