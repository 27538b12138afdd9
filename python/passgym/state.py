"""CompilerGym's environment state record and its CSV format.

The Python side of ``env/state.ts`` (one design, same names): a :class:`CompilerEnvState` is a
benchmark plus the ``opt`` command line that reproduces a point in the optimization space, with
the episode's reward and wall time. States are stored as CSV, one state per row, with the header
``benchmark,reward,walltime,commandline`` (:data:`STATE_CSV_HEADER`).

Every behaviour below follows CompilerGym's ``compiler_gym/compiler_env_state.py`` (classes
``CompilerEnvState``, ``CompilerEnvStateWriter`` and ``CompilerEnvStateReader``) unless its
docstring says otherwise. Malformed states and CSV raise :class:`StateFormatError`, a
:class:`passgym.client.PassGymError` with code ``STATE_FORMAT`` (TypeScript's
``StateFormatError`` in ``env/errors.ts``), where CompilerGym raises pydantic's
``ValidationError`` or ``ValueError``.

Example::

    with open("results.csv", "w", newline="") as f:
        CompilerEnvStateWriter(f).write_state(
            CompilerEnvState("benchmark://cbench-v1/qsort", "opt -mem2reg input.bc -o output.bc",
                             walltime=3.2, reward=0.5))
    for state in read_paths(["results.csv"]):
        print(state.benchmark, state.reward)
"""
from __future__ import annotations

import csv
import io
import math
import re
import sys
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, TextIO

from . import client as _client
from .client import PassGymError

__all__ = [
    "CompilerEnvState",
    "CompilerEnvStateReader",
    "CompilerEnvStateWriter",
    "REWARD_EPSILON",
    "STATE_CSV_HEADER",
    "StateFormatError",
    "parse_states_csv",
    "read_paths",
    "states_equal",
    "states_to_csv",
]

#: CSV columns in CompilerGym's order (``CompilerEnvStateWriter.write_state``).
STATE_CSV_HEADER = ("benchmark", "reward", "walltime", "commandline")

#: Absolute tolerance of reward comparison (``epsilon = 1e-5`` in CompilerGym's
#: ``CompilerEnvState.__eq__``; rewards are equal when ``abs(a - b) < REWARD_EPSILON``).
REWARD_EPSILON = 1e-5

_FIELDS = ("benchmark", "commandline", "walltime", "reward")  # CompilerGym's field order
_REQUIRED_COLUMNS = ("benchmark", "commandline")


def _state_format_error_class() -> type:
    # Use client.py's class for STATE_FORMAT if it defines one, so that error_for() and this module
    # raise the same class; otherwise define it here, named as env/errors.ts names it.
    existing = getattr(_client, "ERROR_CLASSES", {}).get("STATE_FORMAT")
    if existing is not None:
        return existing

    class StateFormatError(PassGymError):
        """A state, state dict or state CSV that cannot be read (code ``STATE_FORMAT``)."""

        CODE = "STATE_FORMAT"

        def __init__(self, message: str):
            PassGymError.__init__(self, "STATE_FORMAT", message)

    StateFormatError.__module__ = __name__
    return StateFormatError


StateFormatError = _state_format_error_class()


def _number(value: Any, what: str, allow_none: bool) -> Optional[float]:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        valid = "a finite number or None" if allow_none else "a finite number"
        raise StateFormatError(f"{what} must be {valid}, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise StateFormatError(f"{what} must be a finite number, got {value!r}")
    return value


@dataclass(frozen=True, eq=False)
class CompilerEnvState:
    """A reproducible environment state (CompilerGym's ``CompilerEnvState`` in
    ``compiler_gym/compiler_env_state.py``).

    Immutable; ints are converted to float (as pydantic does for CompilerGym's float fields). Two
    states are equal (``==``) when their benchmarks and command lines are equal and, if *both*
    have a reward, the rewards differ by less than :data:`REWARD_EPSILON` (1e-5, absolute); a
    state without a reward equals one with any reward. Wall time is ignored: equal states are the
    same point in the optimization space however long they took to reach. These are CompilerGym's
    ``__eq__`` rules. The hash covers benchmark and command line only, so it agrees with ``==``.

    Attributes:
        benchmark: benchmark URI, e.g. ``benchmark://cbench-v1/qsort``. Non-empty.
        commandline: the ``opt`` command line that produces this state from the benchmark, e.g.
            ``opt -mem2reg input.bc -o output.bc``. Non-empty.
        walltime: seconds from the start of the episode to this state; finite and >= 0
            (CompilerGym's ``walltime_nonnegative`` validator). Defaults to 0.0, the value
            CompilerGym's reader uses for an empty walltime field (CompilerGym's model itself
            has no default).
        reward: cumulative episode reward, or None when the episode has no reward space. Finite
            (CompilerGym accepts NaN/inf; PassGym rejects them, as ``env/state.ts`` does).

    Raises:
        StateFormatError: (code ``STATE_FORMAT``) a field of the wrong type, an empty benchmark
            or command line, a negative or non-finite wall time, or a non-finite reward.
    """

    benchmark: str
    commandline: str
    walltime: float = 0.0
    reward: Optional[float] = None

    def __post_init__(self) -> None:
        for name in _REQUIRED_COLUMNS:
            value = getattr(self, name)
            if not isinstance(value, str):
                raise StateFormatError(f"CompilerEnvState.{name} must be a str, got {type(value).__name__} {value!r}")
            if not value.strip():
                example = "benchmark://cbench-v1/qsort" if name == "benchmark" else "opt -mem2reg input.bc -o output.bc"
                raise StateFormatError(f"CompilerEnvState.{name} is empty (expected e.g. '{example}')")
        walltime = _number(self.walltime, "CompilerEnvState.walltime (seconds)", allow_none=False)
        if walltime < 0:
            raise StateFormatError(f"CompilerEnvState.walltime (seconds) cannot be negative, got {walltime!r}")
        object.__setattr__(self, "walltime", walltime)
        object.__setattr__(self, "reward", _number(self.reward, "CompilerEnvState.reward", allow_none=True))

    @property
    def has_reward(self) -> bool:
        """Whether the state has a reward value (CompilerGym's ``has_reward``)."""
        return self.reward is not None

    def __eq__(self, rhs: object) -> bool:
        if not isinstance(rhs, CompilerEnvState):
            return NotImplemented
        return states_equal(self, rhs)

    def __ne__(self, rhs: object) -> bool:
        eq = self.__eq__(rhs)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash((self.benchmark, self.commandline))

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a dict in CompilerGym's field order (what pydantic's ``.dict()`` gives):
        ``benchmark``, ``commandline``, ``walltime`` (float seconds), ``reward`` (float or None).
        """
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "CompilerEnvState":
        """A state from a dict such as :meth:`to_dict` returns.

        Args:
            d: ``benchmark`` and ``commandline`` (required), ``walltime`` (seconds, default 0.0)
                and ``reward`` (default None).

        Raises:
            StateFormatError: ``d`` is not a mapping, lacks a required key, has a key other than
                the four fields (pydantic would ignore it; PassGym reports it so that a misspelt
                key is not silently dropped), or a value is invalid (see the class docstring).
        """
        if not isinstance(d, Mapping):
            raise StateFormatError(f"CompilerEnvState.from_dict expects a mapping, got {type(d).__name__}")
        unknown = sorted(str(k) for k in d if k not in _FIELDS)
        if unknown:
            raise StateFormatError(f"CompilerEnvState.from_dict: unknown key(s) {', '.join(unknown)} "
                                   f"(valid keys: {', '.join(_FIELDS)})")
        missing = [k for k in _REQUIRED_COLUMNS if k not in d]
        if missing:
            raise StateFormatError(f"CompilerEnvState.from_dict: missing required key(s) {', '.join(missing)} "
                                   f"(required: {', '.join(_REQUIRED_COLUMNS)}; optional: walltime, reward)")
        return cls(**{k: d[k] for k in _FIELDS if k in d})


def states_equal(a: CompilerEnvState, b: CompilerEnvState, tolerance: float = REWARD_EPSILON) -> bool:
    """CompilerGym's state equality (``CompilerEnvState.__eq__``) with a configurable tolerance.

    Args:
        a, b: the states.
        tolerance: absolute reward tolerance; rewards are equal when ``abs(a - b) < tolerance``.

    Returns:
        True when benchmark and command line are equal and the rewards are equal or at least one
        state has no reward. Wall time is not compared.
    """
    if a.benchmark != b.benchmark or a.commandline != b.commandline:
        return False
    if a.reward is None or b.reward is None:
        return True
    return abs(a.reward - b.reward) < tolerance


class CompilerEnvStateWriter:
    """Writes states as CSV (CompilerGym's ``CompilerEnvStateWriter``).

    The format is CompilerGym's: Python's ``csv.writer`` with ``lineterminator="\\n"``, columns
    ``benchmark,reward,walltime,commandline``, the header row written before the first state
    (so a writer that writes no state writes nothing), an empty field for a None reward, and
    floats written by the csv module, i.e. as ``repr(float)`` (``0.5``, ``3.0``,
    ``0.30000000000000004``, ``1e-20``). A command line holding a comma or a quote is quoted.

    Usable as a context manager, which closes ``f`` on exit (as CompilerGym's does).

    Args:
        f: text file to write to; open it with ``newline=""`` so the csv module controls line
            endings.
        header: whether to write the header row before the first state.
    """

    def __init__(self, f: TextIO, header: bool = True):
        self.f = f
        self.writer = csv.writer(f, lineterminator="\n")
        self.header = header

    def write_state(self, state: CompilerEnvState, flush: bool = False) -> None:
        """Writes one state as a row (after the header, on the first call when ``header``).

        Args:
            state: the state to write.
            flush: flush ``f`` after writing.

        Raises:
            StateFormatError: ``state`` is not a :class:`CompilerEnvState`.
        """
        if not isinstance(state, CompilerEnvState):
            raise StateFormatError(f"write_state expects a CompilerEnvState, got {type(state).__name__}")
        if self.header:
            self.writer.writerow(STATE_CSV_HEADER)
            self.header = False
        self.writer.writerow((state.benchmark, state.reward, state.walltime, state.commandline))
        if flush:
            self.f.flush()

    def __enter__(self) -> "CompilerEnvStateWriter":
        return self

    def __exit__(self, *args: Any) -> None:
        self.f.close()


class CompilerEnvStateReader:
    """Iterates the states of a state CSV (CompilerGym's ``CompilerEnvStateReader``).

    Accepted input, following CompilerGym's ``_iterate_columns_in_order``:

    * a header row, matched case-insensitively, giving the column order; the columns may come in
      any order;
    * or no header: then every row has the four columns in CompilerGym's order
      ``benchmark,reward,walltime,commandline`` (CompilerGym does not require a header);
    * an empty reward field reads as None and an empty walltime field as 0.0;
    * an empty file reads as no states.

    PassGym also accepts (CompilerGym would fail on these): whitespace around header names and
    fields (stripped; ``skipinitialspace`` lets a quoted field follow ``", "``), blank lines
    (skipped), and a header without the ``reward`` or ``walltime`` column (None / 0.0 for every
    row). ``benchmark`` and ``commandline`` columns are required.

    Usable as a context manager, which closes ``f`` on exit (as CompilerGym's does).

    Args:
        f: text file or any iterable of lines; open files with ``newline=""``.
        name: file name for error messages; defaults to ``f.name`` when ``f`` has one.

    Raises:
        StateFormatError: while iterating, naming the file (when known) and the 1-based line at
            which the bad row starts: a header with an unknown, duplicate or missing required
            column; a row with more or fewer fields than the header (or than four without one);
            a reward or walltime that is not a finite number (walltime also not negative);
            an empty benchmark or commandline; or CSV that the csv module cannot parse.
    """

    def __init__(self, f: TextIO, name: Optional[str] = None):
        self.f = f
        if name is None:
            fname = getattr(f, "name", None)
            name = fname if isinstance(fname, str) else None
        self.name = name

    def _where(self, line: int) -> str:
        return f"state CSV {self.name!r} line {line}" if self.name else f"state CSV line {line}"

    def __iter__(self) -> Iterator[CompilerEnvState]:
        reader = csv.reader(self.f, skipinitialspace=True)
        columns: Optional[List[str]] = None  # None until the first non-blank row is seen
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise StateFormatError(f"{self._where(line)}: not valid CSV: {e}") from None
            row = [v.strip() for v in row]
            if not any(row):
                continue  # blank line
            if columns is None:
                columns = self._columns(row, line)
                if columns is not None:
                    continue  # it was the header
                columns = list(STATE_CSV_HEADER)
            yield self._state(row, columns, line)

    def _columns(self, row: List[str], line: int) -> Optional[List[str]]:
        """The header's column names, or None when ``row`` is not a header (a data row)."""
        names = [v.lower() for v in row]
        if not any(n in STATE_CSV_HEADER for n in names):
            return None
        expected = ",".join(STATE_CSV_HEADER)
        unknown = [v for v, n in zip(row, names) if n not in STATE_CSV_HEADER]
        if unknown:
            raise StateFormatError(f"{self._where(line)}: unknown column(s) {', '.join(map(repr, unknown))} "
                                   f"in header (valid columns: {expected})")
        duplicate = sorted({n for n in names if names.count(n) > 1})
        if duplicate:
            raise StateFormatError(f"{self._where(line)}: duplicate column(s) {', '.join(duplicate)} in header")
        missing = [c for c in _REQUIRED_COLUMNS if c not in names]
        if missing:
            raise StateFormatError(f"{self._where(line)}: header lacks required column(s) {', '.join(missing)} "
                                   f"(expected header {expected}; reward and walltime may be omitted)")
        return names

    def _state(self, row: List[str], columns: List[str], line: int) -> CompilerEnvState:
        if len(row) != len(columns):
            raise StateFormatError(f"{self._where(line)}: {len(row)} field(s), expected {len(columns)} "
                                   f"({','.join(columns)})")
        values = dict(zip(columns, row))
        fields: Dict[str, Any] = {"benchmark": values["benchmark"], "commandline": values["commandline"]}
        for name, empty, valid in (("reward", None, "a number, or an empty field for no reward"),
                                   ("walltime", 0.0, "a non-negative number of seconds, or an empty field for 0")):
            text = values.get(name, "")
            if text == "":
                fields[name] = empty
                continue
            try:
                fields[name] = float(text)
            except ValueError:
                raise StateFormatError(f"{self._where(line)}: {name} {text!r} is not a number "
                                       f"(expected {valid})") from None
        try:
            return CompilerEnvState(**fields)
        except PassGymError as e:
            raise StateFormatError(f"{self._where(line)}: {e.message}") from None

    def __enter__(self) -> "CompilerEnvStateReader":
        return self

    def __exit__(self, *args: Any) -> None:
        self.f.close()

    @staticmethod
    def read_paths(paths: Iterable[str]) -> Iterator[CompilerEnvState]:
        """Reads the states of several state CSVs, in order (CompilerGym's
        ``CompilerEnvStateReader.read_paths``).

        Args:
            paths: file paths; ``"-"`` reads standard input, and an ``http://`` or ``https://``
                URL ending in ``.csv`` is downloaded (with ``urllib`` where CompilerGym uses
                ``requests``).

        Yields:
            The states of each file in turn.

        Raises:
            StateFormatError: a file is not a valid state CSV (see the class docstring).
            OSError: a file cannot be opened, or a URL cannot be fetched (``urllib.error.URLError``
                or ``HTTPError``, both OSError; CompilerGym raises ``requests``' ``InvalidURL``).
        """
        for path in paths:
            if path == "-":
                yield from CompilerEnvStateReader(sys.stdin, name="<stdin>")
            elif re.match(r"^https?://\S+\.csv$", path):
                with urllib.request.urlopen(path) as response:
                    text = response.read().decode("utf-8")
                yield from CompilerEnvStateReader(io.StringIO(text, newline=""), name=path)
            else:
                with open(path, newline="", encoding="utf-8") as f:
                    yield from CompilerEnvStateReader(f, name=path)


def read_paths(paths: Iterable[str]) -> Iterator[CompilerEnvState]:
    """Reads the states of several state CSVs or ``"-"`` (stdin); see
    :meth:`CompilerEnvStateReader.read_paths`."""
    return CompilerEnvStateReader.read_paths(paths)


def states_to_csv(states: Iterable[CompilerEnvState]) -> str:
    """The states as CSV text with the header (``statesToCsv`` in ``env/state.ts``), written by
    :class:`CompilerEnvStateWriter`; the header alone when there are no states."""
    buf = io.StringIO(newline="")
    writer = CompilerEnvStateWriter(buf)
    for state in states:
        writer.write_state(state)
    if writer.header:
        writer.writer.writerow(STATE_CSV_HEADER)
    return buf.getvalue()


def parse_states_csv(text: str) -> List[CompilerEnvState]:
    """The states of CSV text (``parseStatesCsv`` in ``env/state.ts``), read by
    :class:`CompilerEnvStateReader`; raises :class:`StateFormatError` naming the bad line."""
    return list(CompilerEnvStateReader(io.StringIO(text, newline="")))
