"""``PassGymEnv``: a Gymnasium-style environment whose episodes run in ``passgym serve``.

All episode logic stays on the server: it applies the actions, computes rewards with the session's
reward space, and reports failed steps. This class keeps a session id and mirrors the server's
answers (observation, episode reward, actions, command line).
"""
from __future__ import annotations

import copy
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

import numpy as np

from .client import Client, EpisodeStateError, PassGymError, UnknownSpaceError
from .spaces import NamedDiscrete, observation_value, space_from_proto

try:  # a real gymnasium.Env when Gymnasium is installed; a plain class otherwise
    import gymnasium as _gym

    _Base = _gym.Env
except ImportError:  # pragma: no cover - depends on the installation
    _Base = object

Action = Union[int, str]
DEFAULT_BENCHMARK = "benchmark://embedded-v0/qsort"


class PassGymEnv(_Base):
    """An LLVM pass-ordering environment served over ZeroMQ.

    Args:
        benchmark: benchmark URI (``benchmark://DATASET/ID``, ``generator://NAME/SEED``,
            ``file:///path.c`` on the server's machine, or one from ``client.add_benchmark``).
        endpoint: server endpoint; ignored when ``client`` is given.
        action_space: ``"PassesAll"`` or ``"PassesWithLevels"`` (adds ``default<O1..Oz>``).
        observation_space: observation returned by reset/step (e.g. ``"Autophase"``); None for none.
        reward_space: reward computed by the server (e.g. ``"IrInstructionCountOz"``); None for none.
        client: a ``Client`` to use (e.g. with CURVE keys or another timeout). The env closes only
            clients it created.

    Attributes:
        action_space: ``NamedDiscrete`` with ``n``, ``names``, ``sample()``.
        observation_space: the selected space (``Box``: ``shape``, ``dtype``, ``sample()``;
            ``Sequence``; ``Dict``) or None.
        observation_spaces: every observation space of the server, by name.
        reward_spaces: names of the server's reward spaces (``pb.RewardSpaceInfo`` via ``client.get_spaces()``).
        benchmark: the current benchmark URI (canonicalised by the server after reset).
        session_id: the server session of the current episode: 16 random bytes (None before reset).

    Raises:
        PassGymError: UNKNOWN_SPACE for a space the server does not have; TIMEOUT when the server
            does not answer (see ``Client``).
    """

    metadata = {"render_modes": []}
    render_mode = None
    spec = None

    def __init__(self, benchmark: str = DEFAULT_BENCHMARK, endpoint: str = "tcp://127.0.0.1:5555",
                 action_space: str = "PassesAll", observation_space: Optional[str] = None,
                 reward_space: Optional[str] = None, client: Optional[Client] = None):
        self.client = client if client is not None else Client(endpoint)
        self._owns_client = client is None
        self.session_id: Optional[bytes] = None
        self._closed = False
        try:
            # A short first wait: a missing server fails in seconds, not after the step-sized timeout.
            spaces = self.client.get_spaces(timeout_ms=min(self.client.timeout_ms, 10_000))
        except BaseException:
            self.close()
            raise
        actions = {a.name: a for a in spaces.action_spaces}
        self.observation_spaces = {o.name: space_from_proto(o.space) for o in spaces.observation_spaces}
        self.reward_spaces: List[str] = [r.name for r in spaces.reward_spaces]
        for kind, name, valid in (("action", action_space, actions), ("observation", observation_space, self.observation_spaces),
                                  ("reward", reward_space, self.reward_spaces)):
            if name is not None and name not in valid:
                self.close()
                raise UnknownSpaceError(f"unknown {kind} space {name!r}; valid: {', '.join(valid)}")
        self.action_space = NamedDiscrete(actions[action_space])
        self.observation_space_name = observation_space
        self.observation_space = copy.copy(self.observation_spaces[observation_space]) if observation_space else None
        self.reward_space = reward_space
        self.benchmark = benchmark
        self.np_random = np.random.default_rng()
        self._reset_episode(None)

    # -- RNG ------------------------------------------------------------------------------------
    @property
    def np_random(self) -> np.random.Generator:
        """The env's RNG (seeded by ``reset(seed=...)``), shared by ``action_space.sample()``."""
        return self._np_random

    @np_random.setter
    def np_random(self, rng: np.random.Generator) -> None:
        self._np_random = rng
        self.action_space.np_random = rng
        if self.observation_space is not None:
            self.observation_space.np_random = rng

    # -- episode --------------------------------------------------------------------------------
    def _reset_episode(self, observation) -> None:
        self._observation = observation
        self._actions: List[int] = []
        self._episode_reward: Optional[float] = 0.0 if self.reward_space else None
        self._commandline: Optional[str] = None

    def _live(self) -> bytes:
        if self._closed:
            raise PassGymError("CLOSED", "this environment was closed")
        if self.session_id is None:
            raise EpisodeStateError("call reset() before step(), observe() or fork()")
        return self.session_id

    def _end_session(self) -> None:
        sid, self.session_id = self.session_id, None
        if sid is not None:
            try:
                self.client.end_session(sid)
            except PassGymError:
                pass  # already ended (session timeout) or the server is gone: nothing to free

    def reset(self, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None) -> Tuple[Any, Dict[str, Any]]:
        """Starts a new episode (a new server session) and ends the previous one.

        Args:
            seed: reseeds ``np_random`` (and so ``action_space.sample()``), and is sent to the
                server (``StartSessionRequest.seed``), which draws the program with it when the
                benchmark names a dataset or generator alone (``benchmark://apps-v0``); the
                compiler itself is deterministic.
            options: ``{"benchmark": URI}`` switches the benchmark for this and later episodes.
        Returns:
            ``(observation, info)``; observation None without an observation space; info has the
            canonical ``benchmark``.
        Raises:
            PassGymError: UNKNOWN_BENCHMARK (the previous session is kept then), CLOSED, TIMEOUT.
        """
        if self._closed:
            raise PassGymError("CLOSED", "this environment was closed")
        if seed is not None:
            self.np_random = np.random.default_rng(seed)
        benchmark = (options or {}).get("benchmark", self.benchmark)
        r = self.client.start_session(benchmark, self.action_space.name, self.observation_space_name or "",
                                      self.reward_space or "", seed=seed)
        self._end_session()
        self.session_id = r.session_id
        self.benchmark = r.benchmark or benchmark
        if r.HasField("action_space") and r.action_space.version != self.action_space.version:
            self.action_space = NamedDiscrete(r.action_space)
            self.action_space.np_random = self._np_random
        self._reset_episode(observation_value(r.observation) if self.observation_space_name else None)
        return self._observation, {"benchmark": self.benchmark}

    def step(self, action: Action):
        """Applies one action (index or name). Same result as ``multistep([action])``."""
        return self.multistep([action])

    def multistep(self, actions: Iterable[Action]):
        """Applies actions in order as one step (one request).

        Returns:
            ``(observation, reward, terminated, truncated, info)``: reward is the server's reward of
            the step (float; None without a reward space); info has ``error_type`` and
            ``error_details`` when the step failed (``WorkerCrash``, ``StepTimeout``,
            ``ObservationError``), the session then staying at its last good state; and
            ``recovered_state`` (``identical``, ``differs``, ``deterministic``, ``lost``) with
            ``recovery_details`` when the session was replayed in a fresh worker since its last
            step, as in TypeScript's StepInfo.
        Raises:
            PassGymError: UNKNOWN_ACTION, EPISODE_STATE (episode ended or no reset), SESSION_NOT_FOUND
                (the session was ended, e.g. by the server's session timeout), CLOSED, TIMEOUT.
        """
        sid = self._live()
        r = self.client.step(sid, [self.action_space.index(a) for a in actions])
        if r.HasField("observation"):
            self._observation = observation_value(r.observation)
        if r.has_reward:
            self._episode_reward = r.episode_reward
        self._actions = list(r.episode_actions)
        self._commandline = r.commandline or None
        info: Dict[str, Any] = {}
        if r.error_type:
            info["error_type"], info["error_details"] = r.error_type, r.error_details
        if r.recovered_state:
            info["recovered_state"], info["recovery_details"] = r.recovered_state, r.recovery_details
        return self._observation, (r.reward if r.has_reward else None), r.terminated, r.truncated, info

    def observe(self, name: Union[str, Iterable[str]]):
        """Observations of the current state without stepping: the value for one name, a dict
        for several (numpy arrays for tensors, str, bytes, bool, int, float, dict[str, int]).

        Raises:
            PassGymError: UNKNOWN_SPACE, SESSION_NOT_FOUND, EPISODE_STATE.
        """
        names = [name] if isinstance(name, str) else list(name)
        r = self.client.observe(self._live(), names)
        values = {k: observation_value(r.observations[k]) for k in names if k in r.observations}
        return values.get(name) if isinstance(name, str) else values

    def fork(self) -> "PassGymEnv":
        """An independent env in the same state (a forked server session, its own socket and RNG).
        Close it separately."""
        sid = self._live()
        new_sid = self.client.fork_session(sid)
        other = copy.copy(self)
        other.client, other._owns_client = self.client.clone(), True
        other.session_id = new_sid
        other._actions = list(self._actions)
        other.action_space = copy.copy(self.action_space)
        other.observation_space = copy.copy(self.observation_space)
        other.np_random = copy.deepcopy(self._np_random)
        return other

    # -- state ----------------------------------------------------------------------------------
    @property
    def episode_reward(self) -> Optional[float]:
        """Sum of the episode's rewards (None without a reward space)."""
        return self._episode_reward

    @property
    def actions(self) -> List[int]:
        """Action indices applied in this episode (as reported by the server)."""
        return list(self._actions)

    @property
    def observation(self):
        """The last observation (None without an observation space)."""
        return self._observation

    def commandline(self) -> str:
        """An ``opt`` command line reproducing the current state, e.g.
        ``opt-14 -passes='module(a,invalidate<all>,b)' input.bc -o output.bc``."""
        return self._commandline or f"opt-{self.action_space.llvm_major} input.bc -o output.bc"

    @property
    def state(self) -> Dict[str, Any]:
        """CompilerGym-like state: ``benchmark``, ``reward`` (episode reward), ``commandline``."""
        return {"benchmark": self.benchmark, "reward": self._episode_reward, "commandline": self.commandline()}

    def validate(self):
        """Replays the current state in a fresh server session and checks the episode reward (and,
        for runnable benchmarks, the program's output).

        Returns:
            ``ValidateReply``: ``ok``, ``reward_validated`` (the reward was compared, CompilerGym's
            meaning), ``reward_validation_failed`` (it differed), ``semantics_validated``,
            ``semantics_validation_failed``, ``actual_reward``, ``error_type``, ``error_details``,
            ``walltime`` (seconds).
        """
        if self._closed:
            raise PassGymError("CLOSED", "this environment was closed")
        return self.client.validate(self.benchmark, self.commandline(), self._episode_reward,
                                    self.reward_space or "", self.action_space.name)

    def close(self) -> None:
        """Ends the session and closes the client if this env created it. Idempotent."""
        if self._closed:
            return
        self._end_session()
        self._closed = True
        if self._owns_client:
            self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return f"PassGymEnv({self.benchmark!r}, {self.client.endpoint}, session={self.session_id.hex() if self.session_id else None})"
