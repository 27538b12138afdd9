"""PassGym's Python client: LLVM pass ordering environments served by ``passgym serve``.

Usage (from a checkout, with Debian's /usr/bin/python3)::

    import sys; sys.path.insert(0, "python")
    from passgym import PassGymEnv
    with PassGymEnv("benchmark://embedded-v0/qsort", reward_space="IrInstructionCountOz") as env:
        env.reset(seed=0)
        obs, reward, terminated, truncated, info = env.step("instcombine")
"""
from .client import Client, PassGymError, PassGymTimeout
from .env import PassGymEnv
from .spaces import Box, Dict, NamedDiscrete, Sequence, observation_value
from ._proto import pb

__all__ = ["Client", "PassGymError", "PassGymTimeout", "PassGymEnv", "NamedDiscrete", "Box", "Sequence", "Dict",
           "observation_value", "pb"]
