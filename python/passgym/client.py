"""A ZeroMQ client for ``passgym serve`` (protocol ``passgym.v2``, see ``proto/passgym.proto``).

Framing: one DEALER socket; each request is one frame holding a serialized ``Request`` and each
reply one frame holding a serialized ``Response`` with the same ``request_id``.
"""
from __future__ import annotations

import itertools
import os
import random
import time
from typing import Optional, Tuple, Union

import zmq

from ._proto import pb

Key = Union[str, bytes]


class PassGymError(Exception):
    """A failed request: the server's ``Error`` reply, or a client-side failure.

    Attributes:
        code: stable code, e.g. ``SESSION_NOT_FOUND``, ``UNKNOWN_BENCHMARK``, ``UNKNOWN_ACTION``,
            ``EPISODE_STATE``; client-side: ``TIMEOUT`` (no reply after all retries),
            ``BAD_RESPONSE`` (a reply without the expected result), ``CLOSED``.
        message: what was wrong and what is valid.
    """

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class PassGymTimeout(PassGymError):
    """No reply within ``timeout_ms`` after ``retries`` resends (code ``TIMEOUT``)."""

    def __init__(self, message: str):
        super().__init__("TIMEOUT", message)


def _error_class(name: str, code: str, doc: str) -> type:
    def __init__(self, message: str):
        PassGymError.__init__(self, code, message)
    return type(name, (PassGymError,), {"__init__": __init__, "__doc__": f"{doc} (code ``{code}``).", "CODE": code})


# One class per error code the server sends (docs/protocol.md), named as TypeScript's
# env/errors.ts names its classes where it has one. All are PassGymError, with ``code`` set.
_ERRORS = [
    ("BadRequestError", "BAD_REQUEST", "The bytes are not one Request, or an argument is wrong"),
    ("UnknownMethodError", "UNKNOWN_METHOD", "The server does not know the request's method"),
    ("MessageTooLargeError", "MESSAGE_TOO_LARGE", "The request exceeds the server's size limit"),
    ("SessionNotFoundError", "SESSION_NOT_FOUND", "The session was ended, timed out or never existed"),
    ("SessionNotOwnedError", "SESSION_NOT_OWNED", "The session belongs to another client"),
    ("UnknownBenchmarkError", "UNKNOWN_BENCHMARK", "No such benchmark, dataset or URI form"),
    ("UnknownActionError", "UNKNOWN_ACTION", "An action index or name outside the action space"),
    ("UnknownSpaceError", "UNKNOWN_SPACE", "An unknown observation, reward or action space"),
    ("UnknownParameterError", "UNKNOWN_PARAMETER", "A SetParameter name the server does not know"),
    ("InvalidValueError", "INVALID_VALUE", "A value outside its documented form or bounds"),
    ("InvalidIrError", "INVALID_IR", "An upload that is not valid LLVM IR or bitcode"),
    ("BenchmarkBuildError", "BENCHMARK_BUILD_FAILED", "An upload or benchmark that did not compile"),
    ("NotRunnableError", "NOT_RUNNABLE", "Runtime or output validation of a benchmark without a run command"),
    ("EpisodeStateError", "EPISODE_STATE", "A step before reset or after the episode ended"),
    ("DatasetNotInstalledError", "DATASET_NOT_INSTALLED", "A dataset the server has not installed"),
    ("DatasetInstallingError", "DATASET_INSTALLING", "A dataset the server is installing now; retry later"),
    ("MissingToolError", "MISSING_TOOL", "A tool the server needs is not installed there"),
    ("RuntimeBudgetExceededError", "RUNTIME_BUDGET_EXCEEDED", "Runtime runs that took longer than the server's budget per observation"),
    ("SessionLimitError", "SESSION_LIMIT", "The server has as many sessions open as it allows"),
    ("ResendExpiredError", "RESEND_EXPIRED", "A resent request that was applied; its reply was too large to keep"),
    ("BuildsBusyError", "BUILDS_BUSY", "The server is building as many benchmarks as it allows; retry shortly"),
    ("CancelledError", "CANCELLED", "A request stopped because its session was ended while it ran"),
    ("StateFormatError", "STATE_FORMAT", "A state CSV or command line that cannot be read"),
    ("ServerFailedError", "SERVER_FAILED", "The private server of passgym.make() did not start"),
    ("InternalError", "INTERNAL", "A failure inside the server"),
]
ERROR_CLASSES = {code: _error_class(name, code, doc) for name, code, doc in _ERRORS}
globals().update({cls.__name__: cls for cls in ERROR_CLASSES.values()})


def error_for(code: str, message: str) -> PassGymError:
    """The exception for a server ``Error``: its code's class, or PassGymError for another code."""
    cls = ERROR_CLASSES.get(code)
    return cls(message) if cls else PassGymError(code or "UNKNOWN", message)


def _key(k: Key) -> bytes:
    return k.encode() if isinstance(k, str) else k


def _camel(method: str) -> str:
    return "".join(w.capitalize() for w in method.split("_"))


class Client:
    """A connection to ``passgym serve`` with the ZeroMQ guide's "lazy pirate" reliability.

    Each request waits at most ``timeout_ms`` for its reply; on a timeout the socket is closed, a
    fresh one connected and the request resent with the same ``request_id`` (at most ``retries``
    times), then ``PassGymTimeout`` is raised. Replies whose ``request_id`` is not the awaited one
    (late answers to abandoned requests) are discarded. Sessions belong to the server, so they
    survive the reconnection, and the server answers a resent session request (same session and
    ``request_id``) from its cache, so a resent ``Step`` is not applied twice. A resent
    ``StartSession`` may leave an unused session, which the server ends after its
    ``--session-timeout``.

    Not thread-safe: use one client per thread (``clone()``).

    Args:
        endpoint: ZeroMQ endpoint of the server, e.g. ``tcp://127.0.0.1:5555``.
        timeout_ms: wait for one reply, in milliseconds (default 600,000, as TypeScript's
            ``ServiceClient``: longer than the server's 300 s step timeout, so that a slow step is
            answered rather than resent).
        retries: resends after a timeout before giving up.
        curve_server_key: the server's CURVE public key (Z85, 40 chars) to encrypt and
            authenticate; None for plain TCP.
        curve_keypair: this client's ``(public, secret)`` Z85 keys, which the server must know
            (``--curve-client-keys``); generated when None and ``curve_server_key`` is set.
        client_id: who this client is (``Request.client_id``); 16 random bytes when None. A
            session belongs to the client that started it; another client's requests on it get
            ``SESSION_NOT_OWNED``.
    """

    def __init__(self, endpoint: str = "tcp://127.0.0.1:5555", timeout_ms: int = 600_000, retries: int = 3,
                 curve_server_key: Optional[Key] = None, curve_keypair: Optional[Tuple[Key, Key]] = None,
                 client_id: Optional[bytes] = None):
        self.endpoint = endpoint
        self.timeout_ms = timeout_ms
        self.retries = retries
        self.curve_server_key = curve_server_key
        if curve_server_key is not None and curve_keypair is None:
            curve_keypair = zmq.curve_keypair()
        self.curve_keypair = curve_keypair
        # Who this client is (Request.client_id): sessions it starts are its own; clones share it.
        self.client_id = client_id if client_id is not None else os.urandom(16)
        self._ctx = zmq.Context.instance()
        # Random start: the server caches each session's last 64 (request_id, reply) pairs to answer
        # resends, so two clients driving one session must not reuse each other's ids.
        self._ids = itertools.count(random.getrandbits(40) + 1)
        self._socket: Optional[zmq.Socket] = None
        self._closed = False

    def clone(self) -> "Client":
        """A new client (own socket) to the same endpoint with the same settings, keys and
        ``client_id``, so that it may use this client's sessions."""
        return Client(self.endpoint, self.timeout_ms, self.retries, self.curve_server_key, self.curve_keypair, self.client_id)

    def _connect(self) -> zmq.Socket:
        s = self._ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        if self.curve_server_key is not None:
            pub, sec = self.curve_keypair
            s.curve_serverkey = _key(self.curve_server_key)
            s.curve_publickey = _key(pub)
            s.curve_secretkey = _key(sec)
        s.connect(self.endpoint)
        return s

    def _drop_socket(self) -> None:
        if self._socket is not None:
            self._socket.close(linger=0)
            self._socket = None

    def call(self, method: str, timeout_ms: Optional[int] = None, **fields):
        """Sends one request and returns its result message.

        Args:
            method: the ``Request.method`` field, e.g. ``"step"``, ``"start_session"``.
            timeout_ms: this call's wait per attempt (default: the client's).
            fields: the fields of the ``<Method>Request`` message.
        Returns:
            the ``Response`` result of the same name (e.g. a ``pb.StepReply``).
        Raises:
            PassGymError: the server replied with ``error`` (its code and message), or the reply
                had no ``method`` result (``BAD_RESPONSE``).
            PassGymTimeout: no reply after ``retries`` resends.
        """
        if self._closed:
            raise PassGymError("CLOSED", "this client was closed")
        rid = next(self._ids)
        req = pb.Request(request_id=rid, client_id=self.client_id)
        getattr(req, method).CopyFrom(getattr(pb, _camel(method) + "Request")(**fields))
        frame = req.SerializeToString()
        for attempt in range(self.retries + 1):
            if self._socket is None:
                self._socket = self._connect()
            self._socket.send(frame)
            resp = self._await(rid, timeout_ms or self.timeout_ms)
            if resp is not None:
                break
            self._drop_socket()  # lazy pirate: the socket may be stuck; a fresh one resends
        else:
            raise PassGymTimeout(f"no reply to {method} from {self.endpoint} within {timeout_ms or self.timeout_ms} ms "
                                 f"({self.retries + 1} attempts)")
        if resp.HasField("error"):
            raise error_for(resp.error.code, resp.error.message)
        if resp.WhichOneof("result") != method:
            raise PassGymError("BAD_RESPONSE", f"expected a {method} result, got {resp.WhichOneof('result')}")
        return getattr(resp, method)

    def _await(self, rid: int, timeout_ms: int):
        """The reply to ``rid``, or None after ``timeout_ms`` without one."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self._socket.poll(max(1, int(left * 1000)), zmq.POLLIN):
                return None
            frames = self._socket.recv_multipart()
            resp = pb.Response()
            try:
                resp.ParseFromString(frames[-1])  # a REQ-style empty delimiter would come first
            except Exception:
                continue
            if resp.request_id == rid:
                return resp
            if resp.request_id == 0 and resp.HasField("error"):
                return resp  # BAD_REQUEST / MESSAGE_TOO_LARGE: the server could not read our request id
            # A late reply to an abandoned request: discard it.

    # Typed wrappers, one per method (arguments as in the .proto).
    def get_version(self, timeout_ms: Optional[int] = None):
        """``GetVersionReply``: service_version, llvm_version, protocol ("passgym.v2")."""
        return self.call("get_version", timeout_ms)

    def get_spaces(self, timeout_ms: Optional[int] = None):
        """``GetSpacesReply``: action_spaces, observation_spaces, reward_spaces."""
        return self.call("get_spaces", timeout_ms)

    def start_session(self, benchmark: str, action_space: str = "", observation_space: str = "",
                      reward_space: str = "", actions=(), max_episode_steps: int = 0,
                      seed: Optional[int] = None, commandline: str = ""):
        """``StartSessionReply`` (session_id, benchmark, action_space, observation, and
        error_type/error_details/episode_actions when a replayed action failed). With
        ``max_episode_steps`` > 0 the server truncates the episode after that many actions
        (TimeLimit semantics). ``seed`` (None: unset) draws the program when ``benchmark`` names a
        dataset or generator alone, as a local env's ``reset(seed=…)`` draws it; the reply's
        ``benchmark`` names it. Raises PassGymError UNKNOWN_BENCHMARK / UNKNOWN_SPACE /
        DATASET_NOT_INSTALLED / INVALID_VALUE."""
        extra = {} if seed is None else {"seed": seed}
        if commandline:
            extra["commandline"] = commandline
        return self.call("start_session", benchmark=benchmark, action_space=action_space,
                         observation_space=observation_space or "", reward_space=reward_space or "",
                         actions=list(actions), max_episode_steps=max_episode_steps, **extra)

    def step(self, session_id: bytes, actions, observation_spaces=(), reward_spaces=(), report_effect: bool = False,
             commandline: str = ""):
        """``StepReply`` after applying action indices ``actions`` in order, then the passes of
        ``commandline``; with ``observations`` of ``observation_spaces``, ``rewards`` of
        ``reward_spaces`` (a space first named mid-episode starts from the state before this
        step), and ``action_had_no_effect`` when ``report_effect``. Raises SESSION_NOT_FOUND,
        UNKNOWN_ACTION, UNKNOWN_SPACE, EPISODE_STATE."""
        return self.call("step", session_id=session_id, actions=list(actions), observation_spaces=list(observation_spaces),
                         reward_spaces=list(reward_spaces), report_effect=report_effect, commandline=commandline)

    def observe(self, session_id: bytes, observation_spaces):
        """``ObserveReply``: observations by name, without stepping."""
        return self.call("observe", session_id=session_id, observation_spaces=list(observation_spaces))

    def list_benchmarks(self, dataset: str = "", offset: int = 0, limit: int = 0):
        """``ListBenchmarksReply``: with no ``dataset``, ``datasets`` (name, installed, generator,
        benchmarks); with one, its sorted URIs from ``offset`` (``limit`` 1..1000, 0 = 1000) and
        their ``total``. Raises PassGymError UNKNOWN_BENCHMARK (unknown name or a generator),
        DATASET_NOT_INSTALLED, INVALID_VALUE."""
        return self.call("list_benchmarks", dataset=dataset, offset=offset, limit=limit)

    def fork_session(self, session_id: bytes) -> bytes:
        """The id (16 bytes) of a new session in the same state."""
        return self.call("fork_session", session_id=session_id).session_id

    def end_session(self, session_id: bytes) -> None:
        """Ends a session. Raises SESSION_NOT_FOUND for an unknown or ended one."""
        self.call("end_session", session_id=session_id)

    def add_benchmark(self, name: str, contents: bytes) -> str:
        """Uploads a program (``name`` ends in .ll, .bc or .c) and returns its benchmark URI."""
        return self.call("add_benchmark", name=name, contents=contents).benchmark

    def set_parameter(self, session_id: bytes, name: str, value: str) -> None:
        """Sets a session parameter (``runtime_observation_count``, ``runtime_warmup_runs_count``)."""
        self.call("set_parameter", session_id=session_id, name=name, value=str(value))

    def validate(self, benchmark: str, commandline: str, reward: Optional[float] = None,
                 reward_space: str = "", action_space: str = ""):
        """``ValidateReply`` of replaying ``commandline`` on ``benchmark`` in a fresh session;
        the episode reward is checked when ``reward`` is given."""
        return self.call("validate", benchmark=benchmark, commandline=commandline, has_reward=reward is not None,
                         reward=reward or 0.0, reward_space=reward_space or "", action_space=action_space or "")

    def close(self) -> None:
        """Closes the socket (sessions stay on the server until ended or timed out)."""
        self._drop_socket()
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
