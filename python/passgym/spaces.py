"""Action and observation spaces, after Gymnasium's (without depending on it), built from the
server's ``GetSpacesReply``; and conversion of ``Observation`` messages to Python values."""
from __future__ import annotations

import json
from typing import List, Mapping, Optional, Sequence as Seq, Union

import numpy as np

from ._proto import pb
from .client import PassGymError, UnknownActionError

_I64 = np.iinfo(np.int64)


class _Space:
    """Common part: an RNG for ``sample()`` that the owning env replaces on ``reset(seed=...)``;
    for an observation space also ``name``/``id``, ``deterministic`` and ``platform_dependent``
    (CompilerGym's ``ObservationSpaceSpec`` facts, set by the env from GetSpaces). Two spaces are
    equal when they describe the same values (the RNG and the facts do not count)."""

    def __init__(self):
        self.np_random = np.random.default_rng()

    def _key(self):
        return (type(self).__name__,) + tuple(repr(getattr(self, k, None)) for k in ("shape", "dtype", "low", "high", "min_length", "max_length", "spaces"))

    def __eq__(self, other) -> bool:
        return isinstance(other, _Space) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def seed(self, seed: Optional[int] = None) -> None:
        """Reseeds this space's RNG."""
        self.np_random = np.random.default_rng(seed)


class NamedDiscrete(_Space):
    """A Discrete action space: action ``k`` is the pipeline element ``names[k]``.

    Attributes:
        name: "PassesAll" or "PassesWithLevels".
        version: names the exact action list, e.g. "PassesAll-llvm14-2f985c44".
        names: the actions, e.g. ``"instcombine"``, ``"default<Oz>"``.
        n: number of actions.
        llvm_major: LLVM major version the actions were checked against.
        flags: per action, its CompilerGym command-line flag (``"-mem2reg"``; CompilerGym's
            ``action_space.flags``): the flag the server lists among its aliases, else ``-`` and
            the name for an action CompilerGym's LLVM 10 did not have.
        metadata: per action, a dict ``{"deterministic", "known_miscompile", "measured"}`` of bools
            measured on that LLVM (the ``ActionMetadata`` of the .proto; TypeScript's
            ``ActionSpace.metadata`` with the same facts in camelCase).
    """

    shape = ()
    dtype = np.dtype(np.int64)

    def __init__(self, msg: "pb.ActionSpace"):
        super().__init__()
        self.name, self.version, self.llvm_major = msg.name, msg.version, msg.llvm_major
        self.names = list(msg.actions)
        self.metadata = [{"deterministic": m.deterministic, "known_miscompile": m.known_miscompile, "measured": m.measured}
                         for m in msg.metadata]
        self._index = {a: k for k, a in enumerate(self.names)}
        # A CompilerGym flag and every other spelling of an action select it, as in TypeScript's
        # ActionSpace.index: "-instcombine" and "instcombine" are "instcombine<no-verify-fixpoint>"
        # on LLVM 18+.
        for k, m in enumerate(msg.metadata):
            for alias in m.aliases:
                self._index.setdefault(alias, k)
        aliases = [list(m.aliases) for m in msg.metadata] or [[] for _ in self.names]
        self.flags = [next((a for a in al if a.startswith("-")), f"-{name}") for name, al in zip(self.names, aliases)]

    def safe_indices(self) -> List[int]:
        """Indices of the actions that are deterministic and not known to miscompile
        (TypeScript's ``ActionSpace.safeIndices``)."""
        if len(self.metadata) != self.n:
            raise ValueError("the server sent no action metadata (it predates ActionMetadata); "
                             "upgrade it, or choose actions without safe_indices()")
        return [k for k, m in enumerate(self.metadata) if m["deterministic"] and not m["known_miscompile"]]

    @property
    def n(self) -> int:
        return len(self.names)

    def sample(self) -> int:
        """A uniformly random action index."""
        return int(self.np_random.integers(self.n))

    def index(self, action: Union[int, str]) -> int:
        """The index of an action given as index, name, CompilerGym flag (``"-gvn"``) or another
        LLVM version's spelling of it (``"instcombine"``, ``"flattencfg"``).

        Raises:
            PassGymError: UNKNOWN_ACTION for an index outside ``[0, n)`` or an unknown name.
        """
        if isinstance(action, (int, np.integer)) and not isinstance(action, bool) and 0 <= action < self.n:
            return int(action)
        if isinstance(action, str):
            name = action.strip()
            # A flag written without its dash ("licm" for "-licm") names the flag's action, as in TypeScript.
            for candidate in (name, f"-{name}"):
                if candidate in self._index:
                    return self._index[candidate]
        raise UnknownActionError(f"unknown action {action!r} in {self.version}: "
                           f"use an index in [0, {self.n}), a name such as {self.names[0]!r} or a CompilerGym flag such as '-{self.names[0]}' "
                           "(`passgym info` lists the flags this LLVM has no action for, and why)")

    def contains(self, x) -> bool:
        return isinstance(x, (int, np.integer)) and 0 <= x < self.n

    __contains__ = contains

    def __len__(self) -> int:
        return self.n

    def __repr__(self) -> str:
        return f"NamedDiscrete({self.version}, n={self.n})"


class Box(_Space):
    """A box of numbers of ``shape`` (``()`` for a scalar) and ``dtype`` within ``[low, high]``."""

    def __init__(self, shape: Seq[int], dtype: str, low: float, high: float):
        super().__init__()
        self.shape = tuple(int(d) for d in shape)
        self.dtype = np.dtype(dtype or "float64")
        self.low, self.high = low, high

    @classmethod
    def from_proto(cls, m: "pb.BoxSpace") -> "Box":
        return cls(m.shape, m.dtype, m.low, m.high)

    def sample(self) -> np.ndarray:
        """A random array: uniform for bounded ranges; shifted exponential/normal for unbounded floats."""
        rng, size = self.np_random, self.shape
        if self.dtype == np.bool_:
            return rng.integers(0, 2, size=size).astype(bool)
        if np.issubdtype(self.dtype, np.integer):
            lo = int(max(self.low, _I64.min)) if np.isfinite(self.low) else _I64.min
            hi = int(min(self.high, _I64.max - 1)) if np.isfinite(self.high) else _I64.max - 1
            return rng.integers(lo, hi, endpoint=True, size=size, dtype=np.int64).astype(self.dtype)
        lo_ok, hi_ok = np.isfinite(self.low), np.isfinite(self.high)
        if lo_ok and hi_ok:
            x = rng.uniform(self.low, self.high, size=size)
        elif lo_ok:
            x = self.low + rng.exponential(size=size)
        elif hi_ok:
            x = self.high - rng.exponential(size=size)
        else:
            x = rng.normal(size=size)
        return np.asarray(x, dtype=self.dtype)

    def contains(self, x) -> bool:
        a = np.asarray(x)
        return a.shape == self.shape and bool(np.all((a >= self.low) & (a <= self.high)))

    __contains__ = contains

    def __repr__(self) -> str:
        return f"Box(shape={self.shape}, dtype={self.dtype}, low={self.low}, high={self.high})"


class Sequence(_Space):
    """Text (``dtype`` str), bytes (``dtype`` bytes) or a 1-D float64 array (``dtype`` np.float64:
    Runtime's runs, in seconds) with ``min_length <= len <= max_length`` (``max_length`` None:
    unbounded). ``sample()`` is not meaningful (random text is not IR)."""

    shape = None

    def __init__(self, dtype: str, min_length: int, max_length: Optional[int]):
        super().__init__()
        # str, bytes, np.float64 (Runtime), or the wire's name for the other kinds (int64, str_list,
        # float32_rows, graph, json, lexed, lexed_tuple), checked loosely by contains().
        self.dtype = {"bytes": bytes, "float64": np.float64, "str": str}.get(dtype, dtype)
        self.min_length, self.max_length = min_length, max_length

    def sample(self):
        raise NotImplementedError("sampling a Sequence space (IR text, bitcode, hashes, runtimes) is not meaningful")

    def contains(self, x) -> bool:
        if self.dtype is np.float64:
            ok = isinstance(x, np.ndarray) and x.ndim == 1 and x.dtype == np.float64 and bool((x >= 0).all())
        elif isinstance(self.dtype, type):
            ok = isinstance(x, self.dtype)
        else:
            return x is not None  # graphs, JSON documents, token lists: the server's shape
        return ok and len(x) >= self.min_length and (self.max_length is None or len(x) <= self.max_length)

    __contains__ = contains

    def __repr__(self) -> str:
        name = self.dtype.__name__ if isinstance(self.dtype, type) else self.dtype
        return f"Sequence({name}, {self.min_length}..{self.max_length})"


class Dict(_Space):
    """Named scalar boxes: values are ``dict[str, int]`` (InstCountDict), or ``dict[str, float]`` for
    float boxes (InstCountNormDict)."""

    shape = None
    dtype = None

    def __init__(self, spaces: Mapping[str, Box]):
        super().__init__()
        self.spaces = dict(spaces)

    def seed(self, seed: Optional[int] = None) -> None:
        super().seed(seed)
        for s in self.spaces.values():
            s.np_random = self.np_random

    def sample(self) -> dict:
        for s in self.spaces.values():
            s.np_random = self.np_random
        return {k: s.sample().item() for k, s in self.spaces.items()}

    def contains(self, x) -> bool:
        return isinstance(x, dict) and x.keys() == self.spaces.keys() and all(self.spaces[k].contains(v) for k, v in x.items())

    __contains__ = contains

    def __repr__(self) -> str:
        return f"Dict({len(self.spaces)} keys)"


Space = Union[Box, Sequence, Dict]


def space_from_proto(m: "pb.Space") -> Space:
    """A ``pb.Space`` as a Box, Sequence or Dict. Raises ValueError for an unset space."""
    kind = m.WhichOneof("kind")
    if kind == "box":
        return Box.from_proto(m.box)
    if kind == "sequence":
        s = m.sequence
        return Sequence(s.dtype, s.min_length, None if s.max_length < 0 else s.max_length)
    if kind == "dict":
        return Dict({k: Box.from_proto(v) for k, v in sorted(m.dict.spaces.items())})
    raise ValueError("space with no kind set")


def observation_value(o: "pb.Observation", graph_as: str = "networkx"):
    """An ``Observation`` as a Python value: int64/float32/float64 numpy arrays of the tensor's
    shape (the space's declared dtype), str, bytes, bool, int, float, ``dict[str, int]`` for
    Int64Dict, ``dict[str, float]`` for DoubleDict, a dict or list for a JSON document
    (ProgramlJson, CpuInfo), a list of str (StringList), LexedIr's dict of four numpy arrays or
    LexedIrTuple's list of ``LexedToken``, or None when unset. A ProGraML graph (Programl) is a
    ``networkx.MultiDiGraph`` as in CompilerGym when networkx is importable and ``graph_as`` is
    "networkx", else a ``passgym.ProgramGraph`` (numpy columns)."""
    kind = o.WhichOneof("value")
    if kind == "program_graph":
        from .programl import ProgramGraph, networkx_available
        g = ProgramGraph.from_proto(o.program_graph)
        return g.to_networkx() if graph_as == "networkx" and networkx_available() else g
    if kind == "json_value":
        return json.loads(o.json_value)
    if kind == "string_list":
        return list(o.string_list.values)
    if kind == "lexed_ir":
        from .programl import LexedToken
        m = o.lexed_ir
        ids = np.array(m.token_id, dtype=np.int64)
        kinds, cats = np.array(list(m.kind_names), dtype=object), np.array(list(m.category_of_kind), dtype=object)
        if m.tuples:
            kn, cn = list(m.kind_names), list(m.category_of_kind)
            return [LexedToken(int(t), kn[t], cn[t], v) for t, v in zip(m.token_id, m.token_value)]
        return {"token_id": ids, "token_kind": kinds[ids] if len(ids) else np.array([], dtype=object),
                "token_category": cats[ids] if len(ids) else np.array([], dtype=object),
                "token_value": np.array(list(m.token_value), dtype=object)}
    if kind in ("int64_tensor", "float_tensor", "double_tensor"):
        t = getattr(o, kind)
        dtype = {"int64_tensor": np.int64, "float_tensor": np.float32, "double_tensor": np.float64}[kind]
        a = np.array(t.values, dtype=dtype)
        return a.reshape(tuple(t.shape)) if len(t.shape) or a.size == 1 else a
    if kind == "int64_dict":
        return dict(o.int64_dict.values)
    if kind == "double_dict":
        return dict(o.double_dict.values)
    return None if kind is None else getattr(o, kind)
