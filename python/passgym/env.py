"""``PassGymEnv``: a Gymnasium environment with CompilerGym's LLVM env interface, whose episodes
run in ``passgym serve``.

All episode logic stays on the server: it applies the actions, computes rewards, and reports
failed steps. This class keeps the session id and mirrors the server's answers. The interface is
CompilerGym's ``CompilerEnv``/``LlvmEnv`` (``compiler_gym/envs/compiler_env.py``,
``compiler_gym/envs/llvm/llvm_env.py``) with Gymnasium's 5-tuple ``step``:
``env.observation["Autophase"]``, ``env.reward["IrInstructionCountOz"]``, the
``observation_space``/``reward_space``/``benchmark`` setters, ``step(action,
observation_spaces=[...], reward_spaces=[...])``, ``fork()``, ``apply(state)``,
``write_bitcode()``, ``validate()``, ``state``, ``info["action_had_no_effect"]``.
``passgym.compiler_gym`` gives CompilerGym's 4-tuple ``step`` on top of it.
"""
from __future__ import annotations

import copy
import math
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence as Seq, Tuple, Union

import numpy as np

from .client import Client, EpisodeStateError, PassGymError, UnknownSpaceError
from .spaces import NamedDiscrete, observation_value, space_from_proto
from .state import CompilerEnvState
from .inst2vec import Inst2vecEncoder

try:  # a real gymnasium.Env when Gymnasium is installed; a plain class otherwise
    import gymnasium as _gym

    _Base = _gym.Env
except ImportError:  # pragma: no cover - depends on the installation
    _Base = object

Action = Union[int, str]
DEFAULT_BENCHMARK = "benchmark://embedded-v0/qsort"
_UNSET = object()


class RewardSpace:
    """A reward space as the server describes it (CompilerGym's ``Reward``): ``name`` (also
    ``id``), ``deterministic``, ``platform_dependent``, ``reward_range`` (``(-inf, inf)``: every
    PassGym reward is a change of a cost, unbounded either way). Compares equal to its name."""

    def __init__(self, name: str, deterministic: bool, platform_dependent: bool):
        self.name = self.id = name
        self.deterministic, self.platform_dependent = deterministic, platform_dependent
        self.reward_range = (-math.inf, math.inf)

    def __eq__(self, other: object) -> bool:
        return self.name == (other.name if isinstance(other, RewardSpace) else other)

    def __hash__(self) -> int:
        return hash(self.name)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"RewardSpace({self.name!r})"


@dataclass(frozen=True)
class ValidationResult:
    """What ``validate()`` found (CompilerGym's ``ValidationResult``, ``compiler_gym/validation_result.py``).

    Attributes:
        state: the state that was replayed.
        ok: no error: the reward reproduced (when it was compared) and the program's output matched
            its -O0 reference (when the benchmark is runnable).
        reward_validated / reward_validation_failed: the episode reward was compared / differed.
        semantics_validated / semantics_validation_failed: the output was checked / differed.
        actual_reward: the replay's episode reward (None without a reward space).
        error_type / error_details: what failed (``RewardMismatch``, ``Miscompilation``, …), or "".
        walltime: seconds the validation took.
    """

    state: CompilerEnvState
    ok: bool
    reward_validated: bool
    reward_validation_failed: bool
    semantics_validated: bool
    semantics_validation_failed: bool
    actual_reward: Optional[float]
    error_type: str
    error_details: str
    walltime: float

    def okay(self) -> bool:
        """``ok``, by CompilerGym's method name."""
        return self.ok

    @property
    def errors(self) -> List[str]:
        """CompilerGym's list form of the error (empty when ok)."""
        return [f"{self.error_type}: {self.error_details}"] if self.error_type else []


class ObservationView:
    """``env.observation[name]``: the value of any observation space for the current state,
    computed on demand (CompilerGym's ``ObservationView``). ``spaces`` maps names to spaces."""

    def __init__(self, env: "PassGymEnv"):
        self._env = env

    @property
    def spaces(self):
        return self._env.observation_spaces

    def __getitem__(self, name: str):
        return self._env.observe(name)

    def __contains__(self, name: str) -> bool:
        return name in self._env.observation_spaces

    def __repr__(self) -> str:
        return f"ObservationView({', '.join(self._env.observation_spaces)})"


class RewardView:
    """``env.reward[name]``: the reward in space ``name`` since that space's last update in this
    episode (a space first named now: 0), CompilerGym's ``RewardView``. ``spaces`` maps names to
    ``RewardSpace``."""

    def __init__(self, env: "PassGymEnv"):
        self._env = env

    @property
    def spaces(self) -> Dict[str, RewardSpace]:
        return self._env._reward_specs

    def __getitem__(self, name: str) -> float:
        r = self._env.client.step(self._env._live(), [], reward_spaces=[self._env._reward_name(name)])
        return float(r.rewards[name])

    def __contains__(self, name: str) -> bool:
        return name in self._env._reward_specs

    def __repr__(self) -> str:
        return f"RewardView({', '.join(self._env._reward_specs)})"


class PassGymEnv(_Base):
    """An LLVM pass-ordering environment served over ZeroMQ (see the module docstring).

    Args:
        benchmark: benchmark URI (``benchmark://DATASET/ID``, ``generator://NAME/SEED``, a dataset
            or generator alone to draw one with ``reset(seed=…)``, ``file:///path.c`` on the
            server's machine, or one from ``client.add_benchmark``); default embedded-v0/qsort.
        endpoint: server endpoint; ignored when ``client`` is given.
        action_space: ``"PassesAll"`` or ``"PassesWithLevels"`` (adds ``default<O1..Oz>``).
        observation_space: observation returned by reset/step (e.g. ``"Autophase"``); None for none.
        reward_space: reward of each step (e.g. ``"IrInstructionCountOz"``); None for none.
        client: a ``Client`` to use (e.g. with CURVE keys or another timeout). The env closes only
            clients it created.
        on_close: called once when the env closes (``passgym.make`` releases its private server).
        report_effect: compute ``info["action_had_no_effect"]`` on every step, as CompilerGym
            does (default); it costs the server an IrSha1 of each new state.

    Attributes:
        action_space: ``NamedDiscrete`` with ``n``, ``names``, ``flags``, ``sample()``.
        observation_spaces: every observation space of the server, by name.
        session_id: the server session of the current episode: 16 random bytes (None before reset).

    Raises:
        PassGymError: UNKNOWN_SPACE for a space the server does not have; TIMEOUT when the server
            does not answer (see ``Client``).
    """

    metadata = {"render_modes": []}
    render_mode = None
    spec = None

    def __init__(self, benchmark: Optional[str] = None, endpoint: str = "tcp://127.0.0.1:5555",
                 action_space: str = "PassesAll", observation_space: Optional[str] = None,
                 reward_space: Optional[str] = None, client: Optional[Client] = None, on_close=None,
                 report_effect: bool = True):
        self.client = client if client is not None else Client(endpoint)
        self._owns_client = client is None
        self._on_close = on_close
        self.report_effect = report_effect
        self.session_id: Optional[bytes] = None
        self._closed = False
        try:
            # A short first wait: a missing server fails in seconds, not after the step-sized timeout.
            spaces = self.client.get_spaces(timeout_ms=min(self.client.timeout_ms, 10_000))
        except BaseException:
            self.close()
            raise
        self._action_spaces = {a.name: a for a in spaces.action_spaces}
        self.observation_spaces = {}
        for o in spaces.observation_spaces:
            space = space_from_proto(o.space)
            space.name = space.id = o.name
            space.deterministic, space.platform_dependent = o.deterministic, o.platform_dependent
            self.observation_spaces[o.name] = space
        self._reward_specs = {r.name: RewardSpace(r.name, r.deterministic, r.platform_dependent) for r in spaces.reward_spaces}
        #: Every action space of the server (CompilerGym's ``env.action_spaces``).
        self.action_spaces = [NamedDiscrete(a) for a in spaces.action_spaces]
        self.reward_spaces: List[str] = list(self._reward_specs)
        try:
            if action_space not in self._action_spaces:
                raise UnknownSpaceError(f"unknown action space {action_space!r}; valid: {', '.join(self._action_spaces)}")
            self.action_space = NamedDiscrete(self._action_spaces[action_space])
            self._observation_space_name = self._observation_name(observation_space)
            self._reward_space_name = self._reward_name(reward_space)
        except PassGymError:
            self.close()
            raise
        self.observation_space = self._observation_space_name
        self._session_observation: Optional[str] = None
        self._session_reward: Optional[str] = None
        self._benchmark = benchmark or DEFAULT_BENCHMARK
        self._next_benchmark: Optional[str] = None
        self._parameters: Dict[str, int] = {}
        self.np_random = np.random.default_rng()
        self.observation = ObservationView(self)
        self.reward = RewardView(self)
        self._reset_episode(None)

    def _observation_name(self, name) -> Optional[str]:
        name = getattr(name, "name", name)
        if name is not None and name not in self.observation_spaces:
            raise UnknownSpaceError(f"unknown observation space {name!r}; valid: {', '.join(self.observation_spaces)}")
        return name

    def _reward_name(self, name) -> Optional[str]:
        name = getattr(name, "name", name)
        if name is not None and name not in self._reward_specs:
            raise UnknownSpaceError(f"unknown reward space {name!r}; valid: {', '.join(self._reward_specs)}")
        return name

    # -- spaces (CompilerGym's setters) ---------------------------------------------------------
    @property
    def observation_space(self):
        """The observation space of reset/step (a ``Box``, ``Sequence`` or ``Dict`` with ``name``),
        or None. Set it to a name, a space or None: later steps return that observation."""
        return self._observation_space

    @observation_space.setter
    def observation_space(self, value) -> None:
        self._observation_space_name = self._observation_name(value)
        space = copy.copy(self.observation_spaces[self._observation_space_name]) if self._observation_space_name else None
        if space is not None:
            space.name = space.id = self._observation_space_name
            space.np_random = getattr(self, "_np_random", space.np_random)
        self._observation_space = space

    @property
    def observation_space_name(self) -> Optional[str]:
        """The name of ``observation_space`` (None: none)."""
        return self._observation_space_name

    @property
    def reward_space(self) -> Optional[RewardSpace]:
        """The reward space of step (``RewardSpace``, equal to its name), or None. Set it to a name
        or None: later steps return that space's reward (a space first set mid-episode starts from
        the state it was set in) and ``episode_reward`` adds those."""
        return self._reward_specs.get(self._reward_space_name) if self._reward_space_name else None

    @reward_space.setter
    def reward_space(self, value) -> None:
        self._reward_space_name = self._reward_name(value)

    @property
    def compiler_version(self) -> str:
        """The server's LLVM version, e.g. ``"14.0.6"`` (CompilerGym's ``env.compiler_version``)."""
        return self.client.get_version().llvm_version

    @property
    def reward_range(self) -> Tuple[float, float]:
        """The current reward space's range; ``(-inf, inf)`` without one (Gymnasium's default)."""
        space = self.reward_space
        return space.reward_range if space else (-math.inf, math.inf)

    @property
    def benchmark(self) -> str:
        """The current episode's benchmark URI. Setting it takes effect at the next ``reset()``,
        as in CompilerGym (a dataset or generator alone draws a program at each reset)."""
        return self._benchmark

    @benchmark.setter
    def benchmark(self, uri) -> None:
        self._next_benchmark = str(getattr(uri, "uri", uri))
        if self.in_episode:  # CompilerGym warns the same way
            warnings.warn("Changing the benchmark has no effect until reset() is called", UserWarning, stacklevel=2)

    # -- RNG ------------------------------------------------------------------------------------
    @property
    def np_random(self) -> np.random.Generator:
        """The env's RNG (seeded by ``reset(seed=...)``), shared by ``action_space.sample()``."""
        return self._np_random

    @np_random.setter
    def np_random(self, rng: np.random.Generator) -> None:
        self._np_random = rng
        self.action_space.np_random = rng
        if self._observation_space is not None:
            self._observation_space.np_random = rng

    # -- episode --------------------------------------------------------------------------------
    def _reset_episode(self, observation) -> None:
        self._observation = observation
        self._actions: List[int] = []
        self._episode_reward: Optional[float] = 0.0 if self._reward_space_name else None
        self._commandline: Optional[str] = None
        self._episode_start = time.time()

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

    def reset(self, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None, *,
              benchmark: Optional[str] = None, action_space: Optional[str] = None,
              observation_space=_UNSET, reward_space=_UNSET, commandline: str = "") -> Tuple[Any, Dict[str, Any]]:
        """Starts a new episode (a new server session) and ends the previous one.

        Args:
            seed: reseeds ``np_random`` (and so ``action_space.sample()``), and is sent to the
                server (``StartSessionRequest.seed``), which draws the program with it when the
                benchmark names a dataset or generator alone (``benchmark://apps-v0``); the
                compiler itself is deterministic.
            options: Gymnasium's options: ``{"benchmark": URI}`` (and any keyword below).
            benchmark, action_space, observation_space, reward_space: CompilerGym's ``reset``
                keywords: switch these for this and later episodes.
            commandline: an ``opt`` command line replayed at the start (``apply``).
        Returns:
            ``(observation, info)``; observation None without an observation space; info has the
            canonical ``benchmark``.
        Raises:
            PassGymError: UNKNOWN_BENCHMARK (the previous session is kept then), UNKNOWN_SPACE,
                UNKNOWN_ACTION, CLOSED, TIMEOUT.
        """
        if self._closed:
            raise PassGymError("CLOSED", "this environment was closed")
        opts = dict(options or {})
        benchmark = benchmark or opts.pop("benchmark", None) or self._next_benchmark or self._benchmark
        action_space = action_space or opts.pop("action_space", None)
        if observation_space is _UNSET:
            observation_space = opts.pop("observation_space", _UNSET)
        if reward_space is _UNSET:
            reward_space = opts.pop("reward_space", _UNSET)
        if opts:
            raise PassGymError("INVALID_VALUE", f"unknown reset option(s) {sorted(opts)}; valid: benchmark, action_space, "
                                                "observation_space, reward_space")
        if action_space is not None and action_space != self.action_space.name:
            if action_space not in self._action_spaces:
                raise UnknownSpaceError(f"unknown action space {action_space!r}; valid: {', '.join(self._action_spaces)}")
            self.action_space = NamedDiscrete(self._action_spaces[action_space])
            self.action_space.np_random = self._np_random
        if observation_space is not _UNSET:
            self.observation_space = observation_space
        if reward_space is not _UNSET:
            self.reward_space = reward_space
        if seed is not None:
            self.np_random = np.random.default_rng(seed)
        r = self.client.start_session(benchmark, self.action_space.name, self._observation_space_name or "",
                                      self._reward_space_name or "", seed=seed, commandline=commandline)
        self._end_session()
        self.session_id = r.session_id
        self._session_observation, self._session_reward = self._observation_space_name, self._reward_space_name
        self._next_benchmark = None
        self._benchmark = r.benchmark or benchmark
        if r.HasField("action_space") and r.action_space.version != self.action_space.version:
            self.action_space = NamedDiscrete(r.action_space)
            self.action_space.np_random = self._np_random
        self._reset_episode(observation_value(r.observation) if self._observation_space_name else None)
        self._actions = list(r.episode_actions)
        if r.error_type:
            raise PassGymError(r.error_type, f"replaying the command line failed: {r.error_details}")
        for name, value in self._parameters.items():
            self.client.set_parameter(self.session_id, name, str(value))
        return self._observation, {"benchmark": self._benchmark}

    def step(self, action: Action, observation_spaces: Optional[Seq] = None, reward_spaces: Optional[Seq] = None):
        """Applies one action (index, name or CompilerGym flag). Same result as ``multistep([action], …)``."""
        return self.multistep([action], observation_spaces, reward_spaces)

    def multistep(self, actions: Iterable[Action], observation_spaces: Optional[Seq] = None,
                  reward_spaces: Optional[Seq] = None, commandline: str = ""):
        """Applies actions in order as one step (one request), then the passes of ``commandline``.

        Args:
            observation_spaces: names (or spaces) to observe after the step instead of
                ``observation_space``: the observation is then a list in this order.
            reward_spaces: names to compute the step's reward in instead of ``reward_space``: the
                reward is then a list in this order. A space first named mid-episode starts from
                the state before this step.
        Returns:
            ``(observation, reward, terminated, truncated, info)``: info has
            ``action_had_no_effect`` (the IR did not change; unless ``report_effect`` is off), ``error_type``/``error_details`` when
            the step failed (``WorkerCrash``, ``StepTimeout``, ``ObservationError``; the session
            stays at its last good state), and ``recovered_state``/``recovery_details`` when the
            session was replayed in a fresh worker since its last step.
        Raises:
            PassGymError: UNKNOWN_ACTION, UNKNOWN_SPACE, EPISODE_STATE (episode ended or no reset),
                SESSION_NOT_FOUND (e.g. ended by the server's session timeout), CLOSED, TIMEOUT.
        """
        sid = self._live()
        obs_names = [self._observation_name(n) for n in observation_spaces] if observation_spaces is not None else None
        rew_names = [self._reward_name(n) for n in reward_spaces] if reward_spaces is not None else None
        # The env's own spaces, when they were set after the session started, come as extras.
        want_obs = obs_names if obs_names is not None else (
            [self._observation_space_name] if self._observation_space_name and self._observation_space_name != self._session_observation else [])
        want_rew = rew_names if rew_names is not None else (
            [self._reward_space_name] if self._reward_space_name and self._reward_space_name != self._session_reward else [])
        r = self.client.step(sid, [self.action_space.index(a) for a in actions], observation_spaces=want_obs,
                             reward_spaces=want_rew, report_effect=self.report_effect, commandline=commandline)
        self._actions = list(r.episode_actions)
        self._commandline = r.commandline or None
        info: Dict[str, Any] = {}
        if r.HasField("action_had_no_effect"):
            info["action_had_no_effect"] = r.action_had_no_effect
        if r.error_type:
            info["error_type"], info["error_details"] = r.error_type, r.error_details
        if r.recovered_state:
            info["recovered_state"], info["recovery_details"] = r.recovered_state, r.recovery_details
        failed = bool(r.error_type)
        if obs_names is not None:
            observation = [None if failed else observation_value(r.observations[n]) for n in obs_names]
        else:
            if not failed and self._observation_space_name:
                self._observation = (observation_value(r.observations[self._observation_space_name]) if want_obs
                                     else observation_value(r.observation))
            observation = self._observation if self._observation_space_name else None
        if rew_names is not None:
            reward = [None if failed else float(r.rewards[n]) for n in rew_names]
            own = (r.reward if r.has_reward else None) if self._reward_space_name == self._session_reward else None
        else:
            own = None
            if self._reward_space_name:
                own = 0.0 if failed else float(r.rewards[self._reward_space_name] if want_rew else r.reward)
            reward = own
        # CompilerGym adds to episode_reward only the env's own reward, when no reward_spaces were named.
        if own is not None and rew_names is None:
            self._episode_reward = (self._episode_reward or 0.0) + own
        return observation, reward, r.terminated, r.truncated, info

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

    def programl(self) -> "ProgramGraph":
        """The Programl observation of the current state as a ``passgym.ProgramGraph`` (numpy
        columns: node types, per-flow ``edge_index``, edge positions) without the networkx
        conversion that ``observation["Programl"]`` makes. A PassGym extension of CompilerGym's API.

        Raises:
            PassGymError: SESSION_NOT_FOUND, EPISODE_STATE.
        """
        r = self.client.observe(self._live(), ["Programl"])
        return observation_value(r.observations["Programl"], graph_as="columns")

    @property
    def inst2vec(self) -> Inst2vecEncoder:
        """PassGym's inst2vec vocabulary and embedding (CompilerGym's ``env.inst2vec``): ``vocab``
        (statement -> index), ``embeddings`` (float32 [len(vocab), 200]), ``encode``, ``embed``.
        Read from this client's PassGym installation (``passgym.inst2vec``); not CompilerGym's
        vocabulary (``!UNK`` is index 0).

        Raises:
            PassGymError: MISSING_TOOL when no PassGym installation is found; INTERNAL when the
                artifact is damaged.
        """
        from .inst2vec import shipped_encoder
        return shipped_encoder()

    def fork(self) -> "PassGymEnv":
        """An independent env in the same state (a forked server session, its own socket and RNG).
        Before any ``reset()`` it starts the episode first, as CompilerGym's ``fork()``. Close it
        separately; it keeps the private server of ``passgym.make`` running until it is closed."""
        if self.session_id is None and not self._closed:
            self.reset()
        sid = self._live()
        new_sid = self.client.fork_session(sid)
        other = copy.copy(self)
        other.client, other._owns_client, other._on_close = self.client.clone(), True, None
        if self._on_close is not None and getattr(self._on_close, "__name__", "") == "release_local_server":
            from .server import acquire_local_server, release_local_server
            acquire_local_server()  # the fork holds its own reference on the private server
            other._on_close = release_local_server
        other.session_id = new_sid
        other._actions = list(self._actions)
        other._parameters = dict(self._parameters)
        other.action_space = copy.copy(self.action_space)
        other._observation_space = copy.copy(self._observation_space)
        other.np_random = copy.deepcopy(self._np_random)
        other.observation, other.reward = ObservationView(other), RewardView(other)
        return other

    def apply(self, state: CompilerEnvState) -> None:
        """Replays ``state``'s command line onto this env, as CompilerGym's ``apply``: outside an
        episode it starts one on ``state.benchmark`` first.

        Raises:
            PassGymError: EPISODE_STATE when the episode runs on another benchmark; UNKNOWN_ACTION
                or STATE_FORMAT for a command line this action space cannot express; the step's
                ``error_type`` when a pass failed.
        """
        if not self.in_episode:
            self.reset(benchmark=state.benchmark)
        if state.benchmark != self._benchmark:
            raise EpisodeStateError(f"apply(): the state is on {state.benchmark} but this episode is on {self._benchmark}; "
                                    f"reset(benchmark={state.benchmark!r}) first")
        _, _, _, _, info = self.multistep([], commandline=state.commandline)
        if "error_type" in info:
            raise PassGymError(info["error_type"], f"apply(): a pass failed: {info['error_details']}")

    def render(self, mode: str = "human") -> Optional[str]:
        """CompilerGym's ``render``: the current observation as text (the IR without an
        observation space); ``"human"`` prints it, ``"ansi"`` returns it.

        Raises:
            PassGymError: INVALID_VALUE for another mode; EPISODE_STATE before reset.
        """
        if mode not in ("human", "ansi"):
            raise PassGymError("INVALID_VALUE", f"render mode must be 'human' or 'ansi', got {mode!r}")
        text = str(self.observe(self._observation_space_name or "Ir"))
        if mode == "ansi":
            return text
        print(text)
        return None

    def write_bitcode(self, path: Union[str, Path]) -> Path:
        """Writes the current state's bitcode (the Bitcode observation) to ``path``; returns it."""
        p = Path(path).expanduser()
        p.write_bytes(self.observe("Bitcode"))
        return p

    def write_ir(self, path: Union[str, Path]) -> Path:
        """Writes the current state's IR text (the Ir observation) to ``path``; returns it."""
        p = Path(path).expanduser()
        p.write_text(self.observe("Ir"))
        return p

    # -- runtime parameters (CompilerGym's LlvmEnv properties) ----------------------------------
    def _set_parameter(self, name: str, value: int) -> None:
        if self.session_id is not None:
            self.client.set_parameter(self.session_id, name, str(value))  # INVALID_VALUE before it is kept
        self._parameters[name] = int(value)

    @property
    def runtime_observation_count(self) -> int:
        """Runs the Runtime observation lists, one value each (1..100; kept across resets)."""
        return self._parameters.get("runtime_observation_count", 1)

    @runtime_observation_count.setter
    def runtime_observation_count(self, n: int) -> None:
        self._set_parameter("runtime_observation_count", n)

    @property
    def runtime_warmup_runs_count(self) -> int:
        """Unmeasured runs before those (0..10; kept across resets)."""
        return self._parameters.get("runtime_warmup_runs_count", 0)

    @runtime_warmup_runs_count.setter
    def runtime_warmup_runs_count(self, n: int) -> None:
        self._set_parameter("runtime_warmup_runs_count", n)

    # -- state ----------------------------------------------------------------------------------
    @property
    def in_episode(self) -> bool:
        """True between ``reset()`` and ``close()``."""
        return self.session_id is not None and not self._closed

    @property
    def episode_walltime(self) -> float:
        """Seconds since the episode started."""
        return time.time() - self._episode_start

    @property
    def episode_reward(self) -> Optional[float]:
        """Sum of the rewards of the episode in ``reward_space`` (None without one). Settable, as
        in CompilerGym (e.g. to restore a state's reward)."""
        return self._episode_reward

    @episode_reward.setter
    def episode_reward(self, value: Optional[float]) -> None:
        self._episode_reward = None if value is None else float(value)

    @property
    def actions(self) -> List[int]:
        """Action indices applied in this episode (as reported by the server)."""
        return list(self._actions)

    def commandline(self) -> str:
        """An ``opt`` command line reproducing the current state, e.g.
        ``opt-14 -passes='module(a,invalidate<all>,b)' input.bc -o output.bc``."""
        return self._commandline or f"opt-{self.action_space.llvm_major} input.bc -o output.bc"

    @property
    def state(self) -> CompilerEnvState:
        """The current state: benchmark, commandline, walltime (seconds of the episode), reward
        (the episode reward, None without a reward space)."""
        return CompilerEnvState(benchmark=self._benchmark, commandline=self.commandline(),
                                walltime=self.episode_walltime, reward=self._episode_reward)

    def validate(self, state: Optional[CompilerEnvState] = None) -> ValidationResult:
        """Replays ``state`` (default: the current one) in a fresh server session and checks its
        reward (when it has one and a reward space is set) and, for runnable benchmarks, the
        program's output against its -O0 reference.

        Raises:
            PassGymError: CLOSED, TIMEOUT; failures of the replay are in the result.
        """
        if self._closed:
            raise PassGymError("CLOSED", "this environment was closed")
        state = state or self.state
        r = self.client.validate(state.benchmark, state.commandline, state.reward,
                                 self._reward_space_name or "", self.action_space.name)
        return ValidationResult(state=state, ok=r.ok, reward_validated=r.reward_validated,
                                reward_validation_failed=r.reward_validation_failed,
                                semantics_validated=r.semantics_validated,
                                semantics_validation_failed=r.semantics_validation_failed,
                                actual_reward=r.actual_reward if self._reward_space_name else None,
                                error_type=r.error_type, error_details=r.error_details, walltime=r.walltime)

    def close(self) -> None:
        """Ends the session and closes the client if this env created it. Idempotent."""
        if self._closed:
            return
        self._end_session()
        self._closed = True
        if self._owns_client:
            self.client.close()
        if self._on_close is not None:
            callback, self._on_close = self._on_close, None
            callback()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return f"PassGymEnv({self._benchmark!r}, {self.client.endpoint}, session={self.session_id.hex() if self.session_id else None})"
