"""PassGym's Python client: LLVM pass ordering environments served by ``passgym serve``.

Usage (Debian's /usr/bin/python3; ``pip install ./python`` or the checkout's python/ on sys.path)::

    import passgym
    with passgym.make("llvm-autophase-ic-v0", benchmark="benchmark://embedded-v0/qsort") as env:
        obs, info = env.reset(seed=0)
        obs, reward, terminated, truncated, info = env.step("instcombine")

``make`` without an endpoint starts a private ``passgym serve`` for the process (``passgym.server``).
``passgym.compiler_gym`` is CompilerGym's API (4-tuple ``step``) for existing scripts.
"""
from .client import Client, ERROR_CLASSES, PassGymError, PassGymTimeout, error_for
from .env import ObservationView, PassGymEnv, RewardSpace, RewardView, ValidationResult
from .registry import ENV_IDS, make
from .server import LocalServer, find_cli, find_home
from .state import CompilerEnvState, CompilerEnvStateReader, CompilerEnvStateWriter
from .spaces import Box, Dict, NamedDiscrete, Sequence, observation_value
from ._proto import pb
from .programl import LexedToken, ProgramGraph
from .inst2vec import Inst2vecEncoder

# One exception class per server error code (client.ERROR_CLASSES), e.g. passgym.SessionNotOwnedError.
globals().update({cls.__name__: cls for cls in ERROR_CLASSES.values()})

__all__ = ["Client", "PassGymError", "PassGymTimeout", "PassGymEnv", "NamedDiscrete", "Box", "Sequence", "Dict",
           "observation_value", "pb", "error_for", "make", "ENV_IDS", "LocalServer", "find_cli", "find_home", "CompilerEnvState",
           "CompilerEnvStateReader", "CompilerEnvStateWriter", "ObservationView", "RewardView", "RewardSpace",
           "ValidationResult", "ProgramGraph", "LexedToken", "Inst2vecEncoder", *(cls.__name__ for cls in ERROR_CLASSES.values())]
