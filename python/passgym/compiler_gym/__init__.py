"""CompilerGym's API over PassGym, for existing scripts: change one import.

    import passgym.compiler_gym as compiler_gym

    env = compiler_gym.make("llvm-ic-v0", benchmark="cbench-v1/qsort")
    observation = env.reset()                              # gym's reset: the observation only
    observation, reward, done, info = env.step(env.action_space.sample())   # gym's 4-tuple
    env.close()

What differs from ``passgym`` itself (``passgym.make``, Gymnasium's API): ``reset()`` returns the
observation alone and takes CompilerGym's arguments first (``reset(benchmark=None, …)``), and
``step``/``multistep`` return ``(observation, reward, done, info)`` with ``done = terminated or
truncated``. Everything else is ``passgym.PassGymEnv`` (CompilerGym's ``CompilerEnv`` interface).

Benchmarks of CompilerGym's datasets that PassGym does not ship are mapped to the nearest PassGym
program through ``CBENCH`` (cBench-v1 names, written ``cbench-v1/NAME`` or
``benchmark://cbench-v1/NAME``); an unmapped name raises UNKNOWN_BENCHMARK listing the table. The
mapped programs are PassGym's own builds of the same or a similar program, so their instruction
counts and rewards are not CompilerGym's: compare results within PassGym.

``passgym.compiler_gym.wrappers`` holds ``passgym.wrappers`` with this module's 4-tuple API
(``from passgym.compiler_gym.wrappers import TimeLimit``).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional

from ..client import UnknownBenchmarkError
from ..env import PassGymEnv
from ..registry import ENV_IDS, make as _make
from ..wrappers import Wrapper

__all__ = ["make", "CompilerEnv", "CBENCH", "COMPILER_GYM_ENVS", "map_benchmark"]

#: CompilerGym's environment ids (all seven LLVM ones).
COMPILER_GYM_ENVS = list(ENV_IDS)

#: cBench-v1 program -> the nearest PassGym benchmark, with why it is the nearest.
CBENCH: Dict[str, tuple] = {
    "adpcm": ("benchmark://embedded-v0/adpcm", "the same IMA ADPCM codec"),
    "bitcount": ("benchmark://embedded-v0/bitcount", "the same bit-counting kernels"),
    "crc32": ("benchmark://embedded-v0/crc32", "the same CRC-32"),
    "dijkstra": ("benchmark://embedded-v0/dijkstra", "the same shortest-path program"),
    "qsort": ("benchmark://embedded-v0/qsort", "the same quicksort"),
    "sha": ("benchmark://embedded-v0/sha256", "SHA-256 where cBench has SHA-1"),
    "stringsearch": ("benchmark://embedded-v0/stringsearch", "the same Boyer-Moore-Horspool search"),
    "stringsearch2": ("benchmark://embedded-v0/stringsearch", "the one string search PassGym has"),
    "bzip2": ("benchmark://apps-v0/bzip2", "bzip2, a newer release"),
    "jpeg-c": ("benchmark://apps-v0/cjpeg", "libjpeg's cjpeg"),
    "jpeg-d": ("benchmark://apps-v0/djpeg", "libjpeg's djpeg"),
    "lame": ("benchmark://apps-v0/lame", "LAME, a newer release"),
    "gsm": ("benchmark://apps-v0/toast", "toast, the GSM 06.10 codec cBench's gsm is"),
    "tiff2bw": ("benchmark://apps-v0/tiff2bw", "libtiff's tiff2bw"),
    "tiffdither": ("benchmark://apps-v0/tiffdither", "libtiff's tiffdither"),
    "tiffmedian": ("benchmark://apps-v0/tiffmedian", "libtiff's tiffmedian"),
    "tiff2rgba": ("benchmark://apps-v0/tiff2bw", "another libtiff tool (PassGym has no tiff2rgba)"),
}

_CBENCH_URI = re.compile(r"^(?:benchmark://)?cbench-v1/([\w-]+)$")


def map_benchmark(uri: Optional[str]) -> Optional[str]:
    """A CompilerGym benchmark URI as PassGym's: cBench-v1 names through ``CBENCH``; anything else
    (PassGym's own URIs, ``generator://csmith-v0/N``, ``file:///…``) unchanged.

    Raises:
        PassGymError: UNKNOWN_BENCHMARK for a cBench-v1 program without a PassGym counterpart,
            listing the table.
    """
    if uri is None:
        return None
    uri = str(getattr(uri, "uri", uri))
    m = _CBENCH_URI.match(uri.strip())
    if not m:
        return uri
    if m.group(1) not in CBENCH:
        table = "; ".join(f"{k} -> {v[0]}" for k, v in CBENCH.items())
        raise UnknownBenchmarkError(f"cBench-v1 program {m.group(1)!r} has no PassGym counterpart (PassGym ships no cBench); "
                                    f"mapped: {table}")
    return CBENCH[m.group(1)][0]


class CompilerEnv(Wrapper):
    """A ``PassGymEnv`` (or a wrapped one) with CompilerGym's gym-API ``reset`` and ``step``;
    every other attribute is the wrapped env's (``observation``, ``reward``, ``state``,
    ``validate()``, ``fork()`` …, see ``passgym.PassGymEnv``). A ``passgym.wrappers.Wrapper``,
    so forks and ``unwrapped`` work as for any wrapper."""

    def __setattr__(self, name: str, value: Any) -> None:
        # observation_space, reward_space, benchmark … are the env's setters; cBench names are mapped.
        super().__setattr__(name, map_benchmark(value) if name == "benchmark" else value)

    def reset(self, benchmark=None, action_space=None, observation_space=None, reward_space=None, seed=None, **kwargs):
        """Starts an episode and returns its observation (None without an observation space), as
        CompilerGym's ``CompilerEnv.reset``. The spaces given are used for this and later episodes."""
        extra: Dict[str, Any] = {}
        if observation_space is not None:
            extra["observation_space"] = observation_space
        if reward_space is not None:
            extra["reward_space"] = reward_space
        if benchmark is not None:
            extra["benchmark"] = map_benchmark(benchmark)
        if action_space is not None:
            extra["action_space"] = action_space
        observation, _info = super().reset(seed=seed, **extra, **kwargs)
        return observation

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        """``(observation, reward, done, info)``: gym's 4-tuple; ``done`` is terminated or truncated."""
        observation, reward, terminated, truncated, info = super().multistep(actions, observation_spaces, reward_spaces, **kwargs)
        if truncated:  # gym's TimeLimit convention, which CompilerGym's scripts read
            info.setdefault("TimeLimit.truncated", not terminated)
        return observation, reward, terminated or truncated, info

    def __repr__(self) -> str:
        return f"compiler_gym.CompilerEnv({self.env!r})"


def make(env_id: str, benchmark=None, observation_space=None, reward_space=None, action_space=None, **kwargs) -> CompilerEnv:
    """CompilerGym's ``compiler_gym.make``: an env by id (``COMPILER_GYM_ENVS``) with
    CompilerGym's API, on a private local server unless ``endpoint=`` is given (see
    ``passgym.make``). cBench-v1 benchmarks are mapped (``map_benchmark``).

    Raises:
        PassGymError: UNKNOWN_SPACE (unknown id or space), UNKNOWN_BENCHMARK (an unmapped
            cBench-v1 program), MISSING_TOOL / SERVER_FAILED (the private server).
    """
    spaces: Dict[str, Any] = {}
    if observation_space is not None:
        spaces["observation_space"] = observation_space
    if reward_space is not None:
        spaces["reward_space"] = reward_space
    return CompilerEnv(_make(env_id, benchmark=map_benchmark(benchmark), action_space=action_space, **spaces, **kwargs))
