"""CompilerGym's wrappers (``compiler_gym/wrappers/``) over ``PassGymEnv``, and Gymnasium-style
base classes: the Python half of TypeScript's ``env/wrappers/``, with the same names, defaults,
errors and semantics (where they differ, the docstring says why).

Usage::

    import passgym
    from passgym.wrappers import CommandlineWithTerminalAction, TimeLimit

    env = TimeLimit(CommandlineWithTerminalAction(passgym.make("llvm-ic-v0")), max_episode_steps=10)
    env.reset(benchmark="benchmark://embedded-v0/qsort")
    obs, reward, terminated, truncated, info = env.step("mem2reg")

Every wrapper forwards what it does not change to the env it wraps (attributes too, by
``__getattr__``; setting ``observation_space``, ``reward_space``, ``benchmark``,
``runtime_observation_count``, ``runtime_warmup_runs_count`` or ``np_random`` sets it on the
wrapped env), and ``step`` returns Gymnasium's 5-tuple ``(observation, reward, terminated,
truncated, info)``. A wrapper that ends an episode (``TimeLimit``, ``CommandlineWithTerminalAction``,
``ValidateBenchmarkAfterEveryStep``) makes every later step through it raise ``EpisodeStateError``
(``EPISODE_STATE``) until ``reset()``, as TypeScript's ``endEpisode()`` does. The ``fork()`` of a
wrapped env is wrapped the same way, with the wrapper's state copied.

Argument errors map TypeScript's ``RangeError`` to ``ValueError`` (and ``IndexError`` for
``ForkOnStep.undo()`` with nothing to undo); PassGym errors are the same codes in both.
"""
from __future__ import annotations

import copy
import hashlib
import itertools
from typing import Any, Dict, Iterable, List, Optional, Sequence as Seq, Union

import numpy as np

from .client import EpisodeStateError, InvalidValueError
from .spaces import NamedDiscrete
from .state import CompilerEnvState

__all__ = [
    "Wrapper", "TimeLimit", "TERMINAL_ACTION", "CommandlineWithTerminalAction", "ConstrainedCommandline",
    "CycleOverBenchmarks", "RandomOrderBenchmarks", "IterateOverBenchmarks", "ForkOnStep", "Counter",
    "RuntimePointEstimateReward", "ValidateBenchmarkAfterEveryStep", "ActionWrapper", "ObservationWrapper",
    "RewardWrapper",
]

Action = Union[int, str]

#: Name of the terminal action of ``CommandlineWithTerminalAction`` (CompilerGym's "end-of-episode").
TERMINAL_ACTION = "end-of-episode"
#: Its CompilerGym command-line flag (``action_space.flags[-1]``), a comment on a command line.
TERMINAL_FLAG = "# end-of-episode"

#: Attributes whose assignment on a wrapper goes to the wrapped env (CompilerGym's forwarding setters).
_FORWARDED_SETTERS = frozenset({"observation_space", "reward_space", "benchmark", "runtime_observation_count",
                                "runtime_warmup_runs_count", "np_random", "episode_reward"})

_ENDED_MESSAGE = "the episode has ended (terminated or truncated); call reset() to start a new one"


class Wrapper:
    """Base class of wrappers: forwards everything to the wrapped env (Gymnasium's ``Wrapper``;
    CompilerGym's ``CompilerEnvWrapper`` in compiler_gym/wrappers/core.py; TypeScript's
    ``Wrapper`` in env/core.ts). Subclasses override what they change; a subclass that transforms
    steps overrides ``multistep`` (``step(a)`` is ``multistep([a])``).

    Args:
        env: a ``PassGymEnv`` or another wrapper.

    Attributes:
        env: the wrapped env.
    """

    def __init__(self, env):
        object.__setattr__(self, "env", env)
        self._ended = False

    # -- forwarding -------------------------------------------------------------------------------
    def __getattr__(self, name: str):
        # Only called for names not found on the wrapper. Dunders are not forwarded (copy, pickle).
        if name.startswith("__") or "env" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.__dict__["env"], name)

    def __setattr__(self, name: str, value) -> None:
        if name in _FORWARDED_SETTERS and not hasattr(type(self), name) and "env" in self.__dict__:
            setattr(self.env, name, value)
        else:
            object.__setattr__(self, name, value)

    @property
    def unwrapped(self):
        """The innermost env (the ``PassGymEnv``)."""
        return self.env.unwrapped if isinstance(self.env, Wrapper) else self.env

    # -- episode ----------------------------------------------------------------------------------
    def reset(self, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None, **kwargs):
        """``env.reset(seed, options, **kwargs)``; clears the wrapper's ended flag."""
        self._ended = False
        return self.env.reset(seed=seed, options=options, **kwargs)

    def step(self, action: Action, observation_spaces: Optional[Seq] = None, reward_spaces: Optional[Seq] = None):
        """``multistep([action], observation_spaces, reward_spaces)``."""
        return self.multistep([action], observation_spaces, reward_spaces)

    def multistep(self, actions: Iterable[Action], observation_spaces: Optional[Seq] = None,
                  reward_spaces: Optional[Seq] = None, **kwargs):
        """``env.multistep(...)``, after checking that no wrapper ended the episode.

        Raises:
            EpisodeStateError: (``EPISODE_STATE``) after a wrapper ended the episode.
        """
        if self._ended:
            raise EpisodeStateError(_ENDED_MESSAGE)
        return self.env.multistep(actions, observation_spaces, reward_spaces, **kwargs)

    def end_episode(self) -> None:
        """Marks the episode ended, here and in the wrappers below (TypeScript's ``endEpisode()``)."""
        self._ended = True
        if isinstance(self.env, Wrapper):
            self.env.end_episode()

    @property
    def episode_ended(self) -> bool:
        """True once a wrapper ended the episode (until ``reset()``)."""
        return self._ended or (isinstance(self.env, Wrapper) and self.env.episode_ended)

    # -- fork / close -----------------------------------------------------------------------------
    def _rewrap(self, env) -> "Wrapper":
        """A shallow copy of this wrapper around ``env`` (TypeScript's ``rewrap``): same class and
        fields, so the constructor's arguments are kept; mutable fields are shared, so a wrapper with
        mutable state copies it in its ``fork()``."""
        other = copy.copy(self)
        object.__setattr__(other, "env", env)
        return other

    def fork(self) -> "Wrapper":
        """A copy of this wrapper around ``env.fork()``. Close it separately."""
        return self._rewrap(self.env.fork())

    def close(self) -> None:
        self.env.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}{self.env!r}>"


def _space_version(name: str, llvm_major: int, names: List[str]) -> str:
    """TypeScript's ``ActionSpace.version``: ``NAME-llvmN-<8 hex of sha256 of the names>``."""
    return f"{name}-llvm{llvm_major}-{hashlib.sha256(chr(10).join(names).encode()).hexdigest()[:8]}"


def _derived_space(inner: NamedDiscrete, indices: List[int], extra: Optional[str] = None,
                   extra_flag: Optional[str] = None) -> NamedDiscrete:
    """A ``NamedDiscrete`` of the actions ``indices`` of ``inner`` (renumbered 0..k-1, with their
    flags and other spellings), plus an ``extra`` action at the end."""
    space = copy.copy(inner)
    position: Dict[int, int] = {}
    for new, old in enumerate(indices):
        position.setdefault(old, new)
    space.names = [inner.names[k] for k in indices]
    space.flags = [inner.flags[k] for k in indices]
    space.metadata = [inner.metadata[k] for k in indices] if len(inner.metadata) == inner.n else []
    space._index = {alias: position[k] for alias, k in inner._index.items() if k in position}
    for new, name in enumerate(space.names):
        space._index[name] = new
    if extra is not None:
        space.names.append(extra)
        space.flags.append(extra_flag or f"-{extra}")
        if space.metadata:  # the terminal action changes nothing
            space.metadata.append({"deterministic": True, "known_miscompile": False, "measured": True})
        space._index[extra] = space._index[space.flags[-1]] = len(space.names) - 1
    space.version = _space_version(inner.name, inner.llvm_major, space.names)
    space.np_random = inner.np_random
    return space


class TimeLimit(Wrapper):
    """Truncates the episode after ``max_episode_steps`` steps (Gymnasium's ``TimeLimit``;
    CompilerGym's compiler_gym/wrappers/time_limit.py, which sets ``done`` and
    ``info["TimeLimit.truncated"]``): the step that reaches the limit returns ``truncated=True``
    (unless it terminated), and a further step raises ``EpisodeStateError`` until ``reset()``.
    ``multistep()`` counts each action as a step. A fork has the same count of steps taken.

    Args:
        env: the env to wrap.
        max_episode_steps: the limit, a positive integer.

    Raises:
        ValueError: unless ``max_episode_steps`` is a positive integer (TypeScript: RangeError).
    """

    def __init__(self, env, max_episode_steps: int):
        super().__init__(env)
        if isinstance(max_episode_steps, bool) or not isinstance(max_episode_steps, (int, np.integer)) or max_episode_steps < 1:
            raise ValueError(f"max_episode_steps must be a positive integer, got {max_episode_steps!r}")
        self.max_episode_steps = int(max_episode_steps)
        self._elapsed_steps = 0

    def reset(self, seed=None, options=None, **kwargs):
        self._elapsed_steps = 0
        return super().reset(seed=seed, options=options, **kwargs)

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        actions = list(actions)
        observation, reward, terminated, truncated, info = super().multistep(actions, observation_spaces,
                                                                             reward_spaces, **kwargs)
        self._elapsed_steps += len(actions)
        if self._elapsed_steps >= self.max_episode_steps and not terminated:
            truncated = True
            self.end_episode()
        return observation, reward, terminated, truncated, info


class CommandlineWithTerminalAction(Wrapper):
    """Adds one action, ``end-of-episode`` (``TERMINAL_ACTION``), after the wrapped action space;
    choosing it ends the episode with ``terminated=True`` and reward 0 without touching the module
    (CompilerGym's ``CommandlineWithTerminalAction``, compiler_gym/wrappers/commandline.py). In a
    ``multistep()``, the actions before the first terminal action are applied and the rest dropped.
    The terminal action's flag (``action_space.flags[-1]``) is CompilerGym's ``"# end-of-episode"``.
    A fork is wrapped the same way.

    Raises:
        PassGymError: UNKNOWN_ACTION from ``step`` for an action outside the extended space.
    """

    def __init__(self, env):
        super().__init__(env)
        inner = env.action_space
        self._action_space = _derived_space(inner, list(range(inner.n)), TERMINAL_ACTION, TERMINAL_FLAG)

    @property
    def action_space(self) -> NamedDiscrete:
        """The wrapped space plus ``end-of-episode`` as its last action (``sample()`` uses the
        env's RNG)."""
        self._action_space.np_random = self.env.action_space.np_random
        return self._action_space

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        indices = [self._action_space.index(a) for a in actions]
        terminal = self._action_space.n - 1
        cut = indices.index(terminal) if terminal in indices else -1
        passes = indices if cut < 0 else indices[:cut]
        observation, reward, terminated, truncated, info = super().multistep(passes, observation_spaces,
                                                                             reward_spaces, **kwargs)
        if cut >= 0:
            terminated = True
            self.end_episode()
        return observation, reward, terminated, truncated, info


class ActionWrapper(Wrapper):
    """Base class of wrappers that translate actions (Gymnasium's ``ActionWrapper``; CompilerGym's
    ``ActionWrapper`` in compiler_gym/wrappers/core.py): ``step()`` and ``multistep()`` pass each
    action through ``action()`` before the wrapped env sees it. Subclass it and implement
    ``action()``. A fork is a copy of the wrapper around the wrapped env's fork."""

    def action(self, action: Action) -> Action:
        """The wrapped env's action for ``action`` of this wrapper's space."""
        raise NotImplementedError

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        return super().multistep([self.action(a) for a in actions], observation_spaces, reward_spaces, **kwargs)


class ObservationWrapper(Wrapper):
    """Base class of wrappers that transform observations (Gymnasium's ``ObservationWrapper``;
    CompilerGym's ``ObservationWrapper.convert_observation`` in compiler_gym/wrappers/core.py): the
    observation of ``reset()`` and of every step passes through ``observation()`` (None when the env
    has no observation space). A step with ``observation_spaces`` returns its list untransformed,
    and ``observe()`` is not transformed. The method shadows the env's ``observation`` view (as in
    Gymnasium): use ``env.unwrapped.observation[name]`` for it. A fork is a copy of the wrapper
    around the wrapped env's fork."""

    def observation(self, observation):
        """This wrapper's observation for the wrapped env's ``observation``."""
        raise NotImplementedError

    def reset(self, seed=None, options=None, **kwargs):
        observation, info = super().reset(seed=seed, options=options, **kwargs)
        return self.observation(observation), info

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        observation, reward, terminated, truncated, info = super().multistep(actions, observation_spaces,
                                                                             reward_spaces, **kwargs)
        if observation_spaces is None:
            observation = self.observation(observation)
        return observation, reward, terminated, truncated, info


class RewardWrapper(Wrapper):
    """Base class of wrappers that transform rewards (Gymnasium's ``RewardWrapper``; CompilerGym's
    ``RewardWrapper.convert_reward`` in compiler_gym/wrappers/core.py): the reward of every step
    passes through ``reward()`` (not called when the env has no reward space: the reward stays
    None). ``episode_reward`` and ``state.reward`` are the sums of the transformed rewards since
    the last ``reset()`` (CompilerGym rewrites the unwrapped env's episode_reward to the same
    effect). A step with ``reward_spaces`` returns its list untransformed (and adds nothing to the
    sum). ``validate()`` without a state replays the wrapped env's own state, whose reward is
    untransformed. The method shadows the env's ``reward`` view (as in Gymnasium): use
    ``env.unwrapped.reward[name]`` for it. A fork is a copy of the wrapper, with its sum."""

    _UNSET = object()

    def __init__(self, env):
        super().__init__(env)
        self._sum: Any = RewardWrapper._UNSET  # follows the wrapped env until this wrapper resets or steps

    def reward(self, reward: float) -> float:
        """This wrapper's reward for the wrapped env's ``reward``."""
        raise NotImplementedError

    @property
    def episode_reward(self) -> Optional[float]:
        """Sum of the transformed rewards of the episode (None without a reward space)."""
        return self.env.episode_reward if self._sum is RewardWrapper._UNSET else self._sum

    @property
    def state(self) -> CompilerEnvState:
        """The wrapped env's state with ``episode_reward`` as its reward."""
        s = self.env.state
        return CompilerEnvState(benchmark=s.benchmark, commandline=s.commandline, walltime=s.walltime,
                                reward=self.episode_reward)

    def reset(self, seed=None, options=None, **kwargs):
        result = super().reset(seed=seed, options=options, **kwargs)
        self._sum = self.env.episode_reward
        return result

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        if self._sum is RewardWrapper._UNSET:
            self._sum = self.env.episode_reward  # the env was reset before it was wrapped
        observation, reward, terminated, truncated, info = super().multistep(actions, observation_spaces,
                                                                             reward_spaces, **kwargs)
        if reward_spaces is None and reward is not None:
            reward = self.reward(reward)
            self._sum = (self._sum or 0.0) + reward
        return observation, reward, terminated, truncated, info


class ConstrainedCommandline(ActionWrapper):
    """Restricts the action space to a subset of actions, renumbered 0..k-1 in the given order
    (CompilerGym's ``ConstrainedCommandline``, compiler_gym/wrappers/commandline.py). Names may be
    pipeline elements or CompilerGym flags. ``action(a)`` is the wrapped env's index of action
    ``a`` (a list maps element-wise, as CompilerGym's), ``reverse_action(k)`` this space's index of
    the wrapped env's action ``k`` (-1 when it is not in the subset; CompilerGym raises KeyError);
    ``actions`` lists the episode's actions in this space. A fork is wrapped the same way.

    Args:
        env: the env to wrap.
        allowed: the actions to keep (TypeScript's ``allowed``); ``flags=`` is CompilerGym's name.

    Raises:
        ValueError: for an empty list (TypeScript: RangeError).
        PassGymError: UNKNOWN_ACTION for a name the wrapped space does not have.
    """

    def __init__(self, env, allowed: Optional[Iterable[str]] = None, *, flags: Optional[Iterable[str]] = None):
        super().__init__(env)
        self.allowed = list(allowed if allowed is not None else flags or [])
        if not self.allowed:
            raise ValueError("ConstrainedCommandline needs at least one action")
        inner = env.action_space
        self._inner = [inner.index(a) for a in self.allowed]
        self._action_space = _derived_space(inner, self._inner)

    @property
    def action_space(self) -> NamedDiscrete:
        """The subset, renumbered (``sample()`` uses the env's RNG)."""
        self._action_space.np_random = self.env.action_space.np_random
        return self._action_space

    @property
    def actions(self) -> List[int]:
        """The episode's actions, as indices of this space."""
        return self.reverse_action(self.env.actions)

    def action(self, action):
        if isinstance(action, (list, tuple)):
            return [self.action(a) for a in action]
        return self._inner[self._action_space.index(action)]

    def reverse_action(self, action):
        if isinstance(action, (list, tuple)):
            return [self.reverse_action(a) for a in action]
        return self._inner.index(action) if action in self._inner else -1


def _named_benchmark(options: Optional[Dict[str, Any]], kwargs: Dict[str, Any]) -> bool:
    """Whether a reset names its benchmark (``benchmark=`` or ``options["benchmark"]``)."""
    if kwargs.get("benchmark") is None:
        kwargs.pop("benchmark", None)
    return "benchmark" in kwargs or bool(options and options.get("benchmark") is not None)


def _uri(benchmark) -> str:
    return str(getattr(benchmark, "uri", benchmark))


class CycleOverBenchmarks(Wrapper):
    """Each ``reset()`` without an explicit benchmark takes the next URI of a fixed list, cycling
    (CompilerGym's ``CycleOverBenchmarks``, compiler_gym/wrappers/datasets.py). A ``reset()`` that
    names a benchmark uses it and leaves the position where it is (CompilerGym raises TypeError
    instead). A fork is a ``CycleOverBenchmarks`` at the same position, advancing independently
    (CompilerGym's default ``fork_shares_iterator=False``).

    Raises:
        ValueError: for an empty list (TypeScript: RangeError).
    """

    def __init__(self, env, benchmarks: Iterable):
        super().__init__(env)
        self.benchmarks = [_uri(b) for b in benchmarks]
        if not self.benchmarks:
            raise ValueError("CycleOverBenchmarks needs at least one benchmark")
        self._next = 0

    def reset(self, seed=None, options=None, **kwargs):
        if _named_benchmark(options, kwargs):
            return super().reset(seed=seed, options=options, **kwargs)
        benchmark = self.benchmarks[self._next]
        self._next = (self._next + 1) % len(self.benchmarks)
        return super().reset(seed=seed, options=options, benchmark=benchmark, **kwargs)


class RandomOrderBenchmarks(Wrapper):
    """Each ``reset()`` without an explicit benchmark draws a URI uniformly at random from a list
    (CompilerGym's ``RandomOrderBenchmarks``, compiler_gym/wrappers/datasets.py). The draw uses the
    wrapper's own RNG: ``rng`` (CompilerGym's argument) or one seeded by ``seed`` (TypeScript's
    argument), reseeded by ``reset(seed=…)``. The draws are numpy's, so a seed draws another
    sequence than in TypeScript (seedrandom). A ``reset()`` that names a benchmark uses it without
    drawing. A fork is a ``RandomOrderBenchmarks`` with a copy of the RNG, so it draws the same
    sequence from there (CompilerGym's fork returns an ``IterateOverBenchmarks`` over the list and
    does not copy the RNG).

    Raises:
        ValueError: for an empty list (TypeScript: RangeError).
    """

    def __init__(self, env, benchmarks: Iterable, seed: Optional[int] = None, *,
                 rng: Optional[np.random.Generator] = None):
        super().__init__(env)
        self.benchmarks = [_uri(b) for b in benchmarks]
        if not self.benchmarks:
            raise ValueError("RandomOrderBenchmarks needs at least one benchmark")
        self._rng = rng if rng is not None else np.random.default_rng(seed)

    def reset(self, seed=None, options=None, **kwargs):
        if _named_benchmark(options, kwargs):
            return super().reset(seed=seed, options=options, **kwargs)
        if seed is not None:
            self._rng = np.random.default_rng(seed)
        benchmark = self.benchmarks[int(self._rng.integers(len(self.benchmarks)))]
        return super().reset(seed=seed, options=options, benchmark=benchmark, **kwargs)

    def fork(self) -> "RandomOrderBenchmarks":
        other = self._rewrap(self.env.fork())
        other._rng = copy.deepcopy(self._rng)
        return other


class IterateOverBenchmarks(Wrapper):
    """Each ``reset()`` without an explicit benchmark takes the next URI of a (possibly infinite)
    iterable, once (CompilerGym's ``IterateOverBenchmarks``, compiler_gym/wrappers/datasets.py). A
    ``reset()`` that names a benchmark uses it without advancing (CompilerGym raises TypeError). The
    iterable is read lazily, one URI per reset, taken before the reset runs (a reset that fails does
    not retry it). A fork is an ``IterateOverBenchmarks`` at the same position that advances
    independently (``itertools.tee``, CompilerGym's default ``fork_shares_iterator=False``).

    Raises:
        StopIteration: from ``reset()`` after the last URI, as CompilerGym's. TypeScript throws
            ``BenchmarksExhaustedError`` (``BENCHMARKS_EXHAUSTED``) there instead, JavaScript having
            no StopIteration protocol for a method call.
    """

    def __init__(self, env, benchmarks: Iterable):
        super().__init__(env)
        self._benchmarks = iter(benchmarks)

    def reset(self, seed=None, options=None, **kwargs):
        if _named_benchmark(options, kwargs):
            return super().reset(seed=seed, options=options, **kwargs)
        try:
            benchmark = _uri(next(self._benchmarks))
        except StopIteration:
            raise StopIteration("IterateOverBenchmarks: every benchmark has been used; name one in "
                                "reset(benchmark=...) or wrap a longer iterable") from None
        return super().reset(seed=seed, options=options, benchmark=benchmark, **kwargs)

    def fork(self) -> "IterateOverBenchmarks":
        env = self.env.fork()
        self._benchmarks, theirs = itertools.tee(self._benchmarks)
        other = self._rewrap(env)
        other._benchmarks = theirs
        return other


class ForkOnStep(Wrapper):
    """Forks the env before every step and keeps the forks on a stack, so that ``undo()`` returns
    to the state before the last step (CompilerGym's ``ForkOnStep``, compiler_gym/wrappers/fork.py).
    Each fork is a server session: ``reset()`` or ``close()`` frees them. Attributes are read from,
    and the forwarded settings (``observation_space``, …) written to, the current copy (and the
    others). ``fork()`` returns a ``ForkOnStep`` around a fork of the current state with nothing to
    undo (CompilerGym's ``fork()`` raises NotImplementedError). A step that raises leaves the stack
    as it was.

    Attributes:
        stack: the copies before each step, oldest first (CompilerGym's ``stack``).
    """

    def __init__(self, env):
        super().__init__(env)
        object.__setattr__(self, "_current", env)
        self.stack: List[Any] = []

    def __getattr__(self, name: str):
        if name.startswith("__") or "_current" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.__dict__["_current"], name)

    def __setattr__(self, name: str, value) -> None:
        if name in _FORWARDED_SETTERS and not hasattr(type(self), name) and "_current" in self.__dict__:
            for env in {id(e): e for e in [self._current, self.env, *self.stack]}.values():
                setattr(env, name, value)
        else:
            object.__setattr__(self, name, value)

    @property
    def depth(self) -> int:
        """How many steps can be undone."""
        return len(self.stack)

    @property
    def episode_ended(self) -> bool:
        return self._ended or bool(getattr(self._current, "episode_ended", False))

    def end_episode(self) -> None:
        # Marks the current copy when it is a wrapper (so undo() returns to a live state), else this one.
        if isinstance(self._current, Wrapper):
            self._current.end_episode()
        else:
            self._ended = True

    def _drop_forks(self) -> None:
        others = [e for e in [self._current, *self.stack] if e is not self.env]
        self.stack = []
        object.__setattr__(self, "_current", self.env)
        for env in others:
            env.close()

    def reset(self, seed=None, options=None, **kwargs):
        self._drop_forks()
        return super().reset(seed=seed, options=options, **kwargs)

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        if self._ended:
            raise EpisodeStateError(_ENDED_MESSAGE)
        fork = self._current.fork()
        self.stack.append(self._current)
        object.__setattr__(self, "_current", fork)
        try:
            return fork.multistep(actions, observation_spaces, reward_spaces, **kwargs)
        except BaseException:
            object.__setattr__(self, "_current", self.stack.pop())
            fork.close()
            raise

    def undo(self) -> None:
        """Returns to the state before the last step.

        Raises:
            IndexError: when there is no step to undo (TypeScript: RangeError; CompilerGym returns
                None silently).
        """
        if not self.stack:
            raise IndexError("ForkOnStep.undo(): no step to undo")
        discarded = self._current
        object.__setattr__(self, "_current", self.stack.pop())
        self._ended = False  # the state before a step had not ended
        if discarded is not self.env:
            discarded.close()

    def fork(self) -> "ForkOnStep":
        return ForkOnStep(self._current.fork())

    def close(self) -> None:
        self._drop_forks()
        self.env.close()


class Counter(Wrapper):
    """Counts the calls of ``reset()``, ``step()``/``multistep()`` (one each, however many
    actions), ``fork()`` and ``close()`` made through it, in ``counters`` (CompilerGym's
    ``Counter``, compiler_gym/wrappers/counter.py, which counts ``step()`` only, so a
    ``multistep()`` or an outer wrapper's step through ``multistep()`` goes uncounted there).
    ``reset()`` does not clear the counts. A call is counted before it runs. A fork is a
    ``Counter`` with its own counts, starting at zero (CompilerGym's fork returns the bare forked
    env); the fork is counted in this one's ``"fork"``.

    Attributes:
        counters: ``{"close": int, "reset": int, "step": int, "fork": int}``.
    """

    def __init__(self, env):
        super().__init__(env)
        self.counters: Dict[str, int] = {"close": 0, "reset": 0, "step": 0, "fork": 0}

    def reset(self, seed=None, options=None, **kwargs):
        self.counters["reset"] += 1
        return super().reset(seed=seed, options=options, **kwargs)

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        self.counters["step"] += 1
        return super().multistep(actions, observation_spaces, reward_spaces, **kwargs)

    def fork(self) -> "Counter":
        self.counters["fork"] += 1
        return Counter(self.env.fork())

    def close(self) -> None:
        self.counters["close"] += 1
        self.env.close()


def _checked(name: str, value: int, low: int, high: int) -> int:
    """A Runtime parameter within the bounds the server enforces (TypeScript's ``PARAMETERS``)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise InvalidValueError(f"{name} must be a decimal whole number in {low}..{high}, got {value!r}")
    return int(value)


class RuntimePointEstimateReward(Wrapper):
    """Rewards the decrease of the program's runtime (CompilerGym's ``RuntimePointEstimateReward``,
    compiler_gym/wrappers/llvm.py): reward = previous Runtime estimate − current one, in seconds,
    where the estimate is the Runtime observation with ``runtime_observation_count =
    runtime_count`` measured runs after ``runtime_warmup_runs_count = warmup_count`` warm-up runs
    (set on the env at construction; ``PassGymEnv`` keeps them across resets and sends them before
    the first estimate of each episode is taken).

    The Runtime observation lists the runs; ``estimator`` reduces them to the estimate (CompilerGym's
    argument, default ``np.median``).

    The wrapper computes the reward itself (an extra Runtime observation per step) and reports it
    as the step's reward, ``reward_space`` ``Runtime``, ``episode_reward`` and ``state.reward``; the
    wrapped env keeps its own reward space (``validate()`` without a state replays the wrapped env's
    own state: a runtime is not reproducible). A step with ``reward_spaces`` returns its list as the
    env computed it (the estimate still advances). A step that failed (``info["error_type"]``)
    rewards 0 and keeps the previous estimate. A fork has the same estimate.

    Args:
        env: the env to wrap (its benchmark must be runnable).
        runtime_count: measured runs per estimate, 1..100 (CompilerGym's default 30).
        warmup_count: warm-up runs before them, 0..10 (default 0).
        estimator: runs (a 1-D float64 array) -> the estimate in seconds (default ``np.median``).

    Raises:
        InvalidValueError: (``INVALID_VALUE``) for counts outside those bounds.
        PassGymError: NOT_RUNNABLE from ``reset()`` for a benchmark without a run command.
    """

    def __init__(self, env, runtime_count: int = 30, warmup_count: int = 0, estimator=np.median):
        super().__init__(env)
        self.estimator = estimator
        self.runtime_count = _checked("runtime_observation_count", runtime_count, 1, 100)
        self.warmup_count = _checked("runtime_warmup_runs_count", warmup_count, 0, 10)
        self._previous: Optional[float] = None
        self._sum: Optional[float] = None
        self.env.runtime_observation_count = self.runtime_count
        self.env.runtime_warmup_runs_count = self.warmup_count

    @property
    def reward_space(self):
        """The ``Runtime`` reward space."""
        return self.unwrapped.reward.spaces.get("Runtime", "Runtime")

    @property
    def episode_reward(self) -> Optional[float]:
        """Sum of the runtime rewards of the episode."""
        return self._sum

    @property
    def state(self) -> CompilerEnvState:
        s = self.env.state
        return CompilerEnvState(benchmark=s.benchmark, commandline=s.commandline, walltime=s.walltime, reward=self._sum)

    def _begin(self) -> None:
        self._previous = float(self.estimator(self.env.observe("Runtime")))
        self._sum = 0.0

    def reset(self, seed=None, options=None, **kwargs):
        self._previous = None
        result = super().reset(seed=seed, options=options, **kwargs)
        self._begin()
        return result

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        if self._previous is None:
            self._begin()  # the env was reset before it was wrapped
        observation, reward, terminated, truncated, info = super().multistep(actions, observation_spaces,
                                                                             reward_spaces, **kwargs)
        runtime_reward = 0.0
        if not info.get("error_type"):
            now = float(self.estimator(self.env.observe("Runtime")))
            runtime_reward = self._previous - now
            self._previous = now
        self._sum = (self._sum or 0.0) + runtime_reward
        if reward_spaces is None:
            reward = runtime_reward
        return observation, reward, terminated, truncated, info


class ValidateBenchmarkAfterEveryStep(Wrapper):
    """Validates the state after every step and ends the episode with a penalty when validation
    fails (CompilerGym's ``ValidateBenchmarkAfterEveryStep``, compiler_gym/wrappers/validation.py).

    After a step that did not end the episode it calls ``env.validate()`` on the current state
    without its reward: the actions are replayed in a fresh session (a replay that fails is a
    failure) and, for a runnable benchmark, the program's output is compared with its -O0
    reference. CompilerGym runs the benchmark's validation callbacks (``benchmark.ivalidate``),
    i.e. the semantic check only; the reward is left out here too, so that a nondeterministic reward
    (Runtime) is not a failure. On failure the step returns ``reward_penalty`` as its reward,
    ``terminated=True``, and in ``info`` the failure's ``error_type`` and ``error_details``
    (CompilerGym's key) and the whole ``validation`` result (a ``ValidationResult``); the episode
    has ended. ``episode_reward`` keeps the wrapped env's sum (as in CompilerGym). A fork is wrapped
    the same way.

    Args:
        env: the env to wrap.
        reward_penalty: the reward of a step whose validation failed (CompilerGym's default -1e3).
    """

    def __init__(self, env, reward_penalty: float = -1e3):
        super().__init__(env)
        self.reward_penalty = reward_penalty

    def multistep(self, actions, observation_spaces=None, reward_spaces=None, **kwargs):
        observation, reward, terminated, truncated, info = super().multistep(actions, observation_spaces,
                                                                             reward_spaces, **kwargs)
        if terminated or truncated:
            return observation, reward, terminated, truncated, info
        s = self.env.state
        result = self.env.validate(CompilerEnvState(benchmark=s.benchmark, commandline=s.commandline,
                                                    walltime=s.walltime, reward=None))
        if not result.ok:
            info["error_type"] = result.error_type or "ValidationError"
            info["error_details"] = result.error_details or "validation failed"
            info["validation"] = result
            self.end_episode()
            return observation, self.reward_penalty, True, truncated, info
        return observation, reward, terminated, truncated, info
