"""CompilerGym's ``compiler_gym.wrappers`` over PassGym, with CompilerGym's 4-tuple API.

Each wrapper of ``passgym.wrappers`` is a class here too (``isinstance`` and subclassing work): it
applies the ``passgym`` wrapper to the 5-tuple env under ``passgym.compiler_gym``'s adapter and
answers with ``(observation, reward, done, info)``. ``ActionWrapper``, ``ObservationWrapper`` and
``RewardWrapper`` are CompilerGym's bases: a subclass overrides ``action``, ``observation`` or
``reward``.
"""
from __future__ import annotations

from typing import Any

from .. import wrappers as _inner
from . import CompilerEnv, map_benchmark

__all__ = ["CompilerEnvWrapper", "Wrapper", "ActionWrapper", "ObservationWrapper", "RewardWrapper"]


def _five_tuple(env):
    """The 5-tuple env under ``env`` (itself when it is not one of this module's adapters)."""
    return env.env if isinstance(env, CompilerEnv) else env


class CompilerEnvWrapper(CompilerEnv):
    """CompilerGym's ``CompilerEnvWrapper``: forwards everything, with the 4-tuple API."""

    def __init__(self, env):
        super().__init__(_five_tuple(env))


#: ``passgym.wrappers.Wrapper``'s name for the base.
Wrapper = CompilerEnvWrapper


class ActionWrapper(CompilerEnvWrapper):
    """Maps each action through ``action(a)`` before the env sees it (CompilerGym's ``ActionWrapper``)."""

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        return super().multistep([self.action(a) for a in actions], observation_spaces, reward_spaces, **kwargs)

    def action(self, action: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define action(action)")


class ObservationWrapper(CompilerEnvWrapper):
    """Maps each observation of ``reset``/``step`` through ``observation(o)`` (CompilerGym's
    ``ObservationWrapper``). A subclass must define ``observation``."""

    def __init__(self, env):
        if type(self).observation is ObservationWrapper.observation:
            raise TypeError(f"{type(self).__name__} must define observation(observation)")
        super().__init__(env)

    def reset(self, *args, **kwargs):
        return self.observation(super().reset(*args, **kwargs))

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        observation, reward, done, info = super().multistep(actions, observation_spaces, reward_spaces, **kwargs)
        return (observation if observation_spaces is not None else self.observation(observation)), reward, done, info

    def observation(self, observation: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


class RewardWrapper(CompilerEnvWrapper):
    """Maps each step's reward through ``reward(r)`` (CompilerGym's ``RewardWrapper``); its own
    ``episode_reward`` sums the mapped rewards."""

    def __init__(self, env):
        super().__init__(env)
        object.__setattr__(self, "_mapped_sum", None)

    def reset(self, *args, **kwargs):
        observation = super().reset(*args, **kwargs)
        object.__setattr__(self, "_mapped_sum", 0.0 if self.env.reward_space is not None else None)
        return observation

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        observation, reward, done, info = super().multistep(actions, observation_spaces, reward_spaces, **kwargs)
        if reward_spaces is None:  # as CompilerGym's: every step's reward goes through reward()
            reward = self.reward(reward)
            if isinstance(reward, (int, float)):
                object.__setattr__(self, "_mapped_sum", (self._mapped_sum or 0.0) + reward)
        return observation, reward, done, info

    @property
    def episode_reward(self):
        return self._mapped_sum

    def reward(self, reward: float) -> float:
        raise NotImplementedError(f"{type(self).__name__} must define reward(reward)")


#: The wrappers whose ``benchmarks`` argument lists URIs: cBench-v1 names there are mapped too.
_BENCHMARK_LISTS = {"CycleOverBenchmarks", "RandomOrderBenchmarks", "IterateOverBenchmarks"}


def _adapt(cls: type) -> type:
    """``cls`` (a ``passgym.wrappers`` class) as a class of this module: same constructor
    arguments (cBench-v1 names in a benchmark list mapped, ``map_benchmark``), the inner wrapper
    applied to the 5-tuple env, the 4-tuple API outside."""

    def __init__(self, env, *args, **kwargs):
        if cls.__name__ in _BENCHMARK_LISTS:
            if "benchmarks" in kwargs:
                kwargs["benchmarks"] = (map_benchmark(b) for b in kwargs["benchmarks"])
            elif args:
                args = ((map_benchmark(b) for b in args[0]),) + args[1:]
        CompilerEnv.__init__(self, cls(_five_tuple(env), *args, **kwargs))

    return type(cls.__name__, (CompilerEnvWrapper,), {"__init__": __init__, "__doc__": cls.__doc__, "__module__": __name__})


for _name in getattr(_inner, "__all__", []):
    if _name in globals() and _name != "Wrapper":
        continue  # the bases above are this module's own
    _obj = getattr(_inner, _name)
    if isinstance(_obj, type) and issubclass(_obj, _inner.Wrapper) and _obj is not _inner.Wrapper:
        globals()[_name] = _adapt(_obj)
    elif _name != "Wrapper":
        globals()[_name] = _obj
    if _name != "Wrapper" and _name not in __all__:
        __all__.append(_name)
