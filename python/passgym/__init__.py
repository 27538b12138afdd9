"""PassGym's Python client: LLVM pass ordering environments served by ``passgym serve``.

Usage (from a checkout, with Debian's /usr/bin/python3)::

    import sys; sys.path.insert(0, "python")
    from passgym import PassGymEnv
    with PassGymEnv("benchmark://embedded-v0/qsort", reward_space="IrInstructionCountOz") as env:
        env.reset(seed=0)
        obs, reward, terminated, truncated, info = env.step("instcombine")
"""
from .client import Client, ERROR_CLASSES, PassGymError, PassGymTimeout, error_for
from .env import PassGymEnv
from .spaces import Box, Dict, NamedDiscrete, Sequence, observation_value
from ._proto import pb

# One exception class per server error code (client.ERROR_CLASSES), e.g. passgym.SessionNotOwnedError.
globals().update({cls.__name__: cls for cls in ERROR_CLASSES.values()})

__all__ = ["Client", "PassGymError", "PassGymTimeout", "PassGymEnv", "NamedDiscrete", "Box", "Sequence", "Dict",
           "observation_value", "pb", "error_for", *(cls.__name__ for cls in ERROR_CLASSES.values())]
