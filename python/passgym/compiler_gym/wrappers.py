"""CompilerGym's ``compiler_gym.wrappers`` over PassGym: each class of ``passgym.wrappers`` applied
to the env under ``passgym.compiler_gym``'s adapter, and the result given CompilerGym's 4-tuple
API again (``TimeLimit(env, 100).step(a)`` returns ``(observation, reward, done, info)``)."""
from __future__ import annotations

from .. import wrappers as _inner
from . import CompilerEnv

__all__ = []


def _adapt(cls):
    def factory(env, *args, **kwargs):
        base = env.env if isinstance(env, CompilerEnv) else env
        return CompilerEnv(cls(base, *args, **kwargs))

    factory.__name__ = factory.__qualname__ = cls.__name__
    factory.__doc__ = cls.__doc__
    return factory


for _name in getattr(_inner, "__all__", []):
    _obj = getattr(_inner, _name)
    globals()[_name] = _adapt(_obj) if isinstance(_obj, type) else _obj
    __all__.append(_name)
