#!/usr/bin/env python3
"""Random search for an LLVM pass sequence with PassGym's Python client.

Runs episodes of random actions on one benchmark against ``passgym serve``, keeps the best prefix
of any episode (by episode reward), and prints the mean reward of a whole random episode next to
the best found, with the ``opt`` command line that reproduces it. The server validates the best
(replays its reward and, for runnable benchmarks, runs the program against its -O0 output); a
sequence that miscompiles (LLVM 14's ``attributor`` does on qsort) is reported and the next best
taken.

    node dist/scripts/cli.js serve &            # tcp://127.0.0.1:5555
    /usr/bin/python3 examples/random_search.py [ENDPOINT] --episodes 50 --seconds 60

Reward IrInstructionCountOz: an episode reward of 1.0 is as small as ``-Oz``; above 1.0 is better.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
from passgym import PassGymEnv  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("endpoint", nargs="?", default="tcp://127.0.0.1:5555")
    p.add_argument("--benchmark", default="benchmark://embedded-v0/qsort")
    p.add_argument("--reward", default="IrInstructionCountOz")
    p.add_argument("--action-space", default="PassesAll")
    p.add_argument("--episodes", type=int, default=100, help="at most this many episodes")
    p.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
    p.add_argument("--episode-length", type=int, default=30, help="random actions per episode")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="also print the result as one JSON line")
    a = p.parse_args(argv)

    t0 = time.monotonic()
    finals = []  # episode reward at the end of each random episode
    improvements = []  # (episode reward, action names, commandline) of each new best prefix
    with PassGymEnv(a.benchmark, a.endpoint, action_space=a.action_space, reward_space=a.reward) as env:
        for episode in range(a.episodes):
            if a.seconds is not None and time.monotonic() - t0 > a.seconds:
                break
            env.reset(seed=a.seed + episode)
            for _ in range(a.episode_length):
                _, _, terminated, truncated, info = env.step(env.action_space.sample())
                if "error_type" in info:
                    print(f"episode {episode}: {info['error_type']}: {info['error_details'][:200]}", file=sys.stderr)
                elif not improvements or env.episode_reward > improvements[-1][0]:
                    improvements.append((env.episode_reward, [env.action_space.names[k] for k in env.actions], env.commandline()))
                if terminated or truncated:
                    break
            finals.append(env.episode_reward)
        best, rejected = None, []
        for reward, names, cl in reversed(improvements):  # best first, until one validates
            check = env.client.validate(env.benchmark, cl, reward, a.reward, a.action_space)
            if check.ok:
                best = (reward, names, cl)
                break
            rejected.append({"reward": reward, "actions": names, "error_type": check.error_type, "error_details": check.error_details})

    if not finals or best is None:
        print("no episode ran" if not finals else "no sequence validated", file=sys.stderr)
        return 1
    result = {
        "benchmark": a.benchmark,
        "episodes": len(finals),
        "seconds": round(time.monotonic() - t0, 3),
        "mean_random_episode_reward": statistics.fmean(finals),
        "best_episode_reward": best[0],
        "best_actions": best[1],
        "best_commandline": best[2],
        "rejected": rejected,
    }
    print(f"{a.benchmark}: {len(finals)} random episodes of {a.episode_length} actions in {result['seconds']} s ({a.reward})")
    for r in rejected:
        print(f"rejected {r['reward']:.4f} ({', '.join(r['actions'])}): {r['error_type']}: {r['error_details']}")
    print(f"mean random-episode reward: {result['mean_random_episode_reward']:.4f}")
    print(f"best episode reward:        {best[0]:.4f} ({len(best[1])} actions, validated)")
    print(f"best commandline: {best[2]}")
    if a.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
