"""Python agents on PassGym's leaderboard.

A Python agent is a file that defines ``policy``, in one of two forms:

- ``policy(env)``, CompilerGym's leaderboard signature (``compiler_gym.leaderboard.llvm_instcount``):
  ``env`` has CompilerGym's API (``passgym.compiler_gym.CompilerEnv``: 4-tuple ``step``), is
  already reset on one benchmark with reward space ``IrInstructionCountOz``, and is optimised in
  place; the episode's actions when it returns are the result. A CompilerGym leaderboard policy
  runs unchanged.
- ``policy(env, budget)``: ``env`` is a ``PassGymEnv`` (Gymnasium's 5-tuple ``step``), likewise
  reset, and ``budget`` a dict with ``seconds`` and ``steps`` (either may be None). It may return
  the best action list it found (indices into ``env.action_space``), or a dict ``{"actions":
  [...], "steps": N}``; when it returns None the episode's own actions (``env.actions``) are the
  result.

``passgym leaderboard run --agent python:FILE --dataset D ...`` starts a server, runs this module
once per benchmark and replays the result itself, so the CSV and the scoring are the same as for
TypeScript agents. The module can also be run by hand against any server::

    PYTHONPATH=python /usr/bin/python3 -m passgym.leaderboard FILE --endpoint tcp://127.0.0.1:5555 \\
        --benchmark benchmark://embedded-v0/qsort --seconds 10

It prints one line ``PASSGYM_RESULT {"actions": [...], "steps": N}`` as its last line.
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import sys
from pathlib import Path

from .env import PassGymEnv

RESULT_MARKER = "PASSGYM_RESULT "


def load_policy(file: str):
    """Imports ``file`` and returns its ``policy`` function.

    Raises:
        FileNotFoundError: the file does not exist.
        AttributeError: it defines no callable ``policy``.
    """
    path = Path(file).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"no Python agent file {file}")
    spec = importlib.util.spec_from_file_location("passgym_agent", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fn = getattr(module, "policy", None)
    if not callable(fn):
        raise AttributeError(f"{file} defines no function policy(env) or policy(env, budget)")
    return fn


def takes_budget(policy) -> bool:
    """False for CompilerGym's ``policy(env)``, True for ``policy(env, budget)``."""
    required = [p for p in inspect.signature(policy).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    return len(required) >= 2


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Run a Python leaderboard agent on one benchmark")
    p.add_argument("file", help="Python file defining policy(env, budget)")
    p.add_argument("--endpoint", default="tcp://127.0.0.1:5555")
    p.add_argument("--benchmark", default="benchmark://embedded-v0/qsort")
    p.add_argument("--action-space", default="PassesAll")
    p.add_argument("--seconds", type=float, default=None)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    policy = load_policy(a.file)
    with PassGymEnv(a.benchmark, a.endpoint, action_space=a.action_space, reward_space="IrInstructionCountOz") as env:
        env.reset(seed=a.seed)
        if takes_budget(policy):
            out = policy(env, {"seconds": a.seconds, "steps": a.steps})
        else:
            from .compiler_gym import CompilerEnv
            policy(CompilerEnv(env))
            out = None
        if out is None:
            actions, steps = env.actions, len(env.actions)
        elif isinstance(out, dict):
            actions, steps = list(out["actions"]), int(out.get("steps", len(out["actions"])))
        else:
            actions = list(out)
            steps = len(actions)
        n = env.action_space.n
        bad = [x for x in actions if not isinstance(x, int) or not 0 <= x < n]
        if bad:
            raise ValueError(f"policy returned actions outside 0..{n - 1}: {bad[:5]}")
    print(RESULT_MARKER + json.dumps({"actions": [int(x) for x in actions], "steps": steps}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
