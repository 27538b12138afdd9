"""Median step time of PassGym's Python client, for ``passgym bench service``.

Usage: /usr/bin/python3 python/bench_steps.py ENDPOINT BENCHMARK ACTIONS
  ACTIONS: comma-separated action indices (the same seeded sequence the TypeScript side times).
Prints one JSON line: {"median_step_ms": ..., "steps": ...}.
"""
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from passgym import PassGymEnv  # noqa: E402


def main() -> None:
    endpoint, benchmark, actions = sys.argv[1], sys.argv[2], [int(a) for a in sys.argv[3].split(",")]
    # As the TypeScript side steps: without CompilerGym's action_had_no_effect (an IrSha1 per step).
    with PassGymEnv(benchmark, endpoint=endpoint, reward_space="IrInstructionCount", report_effect=False) as env:
        env.reset()
        times = []
        for a in actions:
            t0 = time.perf_counter()
            env.step(a)
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"median_step_ms": statistics.median(times), "steps": len(times)}))


if __name__ == "__main__":
    main()
