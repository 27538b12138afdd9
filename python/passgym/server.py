"""A private ``passgym serve`` for the environments of this process.

``passgym.make(...)`` without an ``endpoint`` uses the process's ``LocalServer``: PassGym's own Node
server, started on first use on an ``ipc://`` socket in a fresh temporary folder (mode 0700, so
only this user can connect), shared by every env of the process, and stopped when the last one
closes or the interpreter exits. The server runs with ``--parent-pipe``: it exits when its stdin,
a pipe this process holds, reaches its end, so it never outlives this process, not even after a
``SIGKILL`` (CompilerGym's orphaned-service problem, its issue #326).

How the Node side is found, first match wins:

1. ``$PASSGYM_HOME``: a PassGym checkout (or npm package folder) with ``dist/scripts/cli.js``;
2. the checkout this package was installed from, recorded by ``pip install`` in ``_install.py``;
3. the checkout this package is imported from (``python/passgym`` inside it);
4. a ``passgym`` command on ``PATH`` (``npm install -g`` / ``npm link`` of the checkout).

Node itself is ``$PASSGYM_NODE`` or ``node`` on ``PATH``.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import List, Optional

from .client import PassGymError

#: Seconds to wait for the server to print that it listens (setup, workers, LLVM loading).
START_TIMEOUT_S = 120


def _home_cli(home: Path) -> Optional[List[str]]:
    cli = home / "dist" / "scripts" / "cli.js"
    if not cli.is_file():
        return None
    node = os.environ.get("PASSGYM_NODE") or shutil.which("node")
    if node is None:
        raise PassGymError("MISSING_TOOL", "node (Node.js 20) is not on PATH; install it or set PASSGYM_NODE")
    return [node, str(cli)]


def find_home() -> Path:
    """The folder of the PassGym installation this client uses (the same order as ``find_cli``;
    for a ``passgym`` command on ``PATH``, the package folder it links to).

    Raises:
        PassGymError: ``MISSING_TOOL`` when none is found.
    """
    cli = find_cli()
    script = Path(os.path.realpath(cli[-1]))
    # dist/scripts/cli.js or bin/passgym.js: the installation is two levels up (three for dist/).
    home = script.parent.parent.parent if script.parent.name == "scripts" else script.parent.parent
    if not (home / "package.json").is_file():
        raise PassGymError("MISSING_TOOL", f"{cli[-1]} is not inside a PassGym installation (no package.json in {home}); "
                           "set PASSGYM_HOME to a PassGym checkout where 'npm run setup' ran")
    return home


def find_cli() -> List[str]:
    """The command that runs PassGym's CLI (see the module docstring for the order searched).

    Raises:
        PassGymError: ``MISSING_TOOL`` when no PassGym installation or no ``node`` is found, with
            what to do.
    """
    tried = []
    env_home = os.environ.get("PASSGYM_HOME")
    if env_home:
        cli = _home_cli(Path(env_home))
        if cli:
            return cli
        raise PassGymError("MISSING_TOOL", f"PASSGYM_HOME={env_home} has no dist/scripts/cli.js; run 'npm run setup' there")
    try:
        from . import _install  # written by setup.py at ``pip install``
        tried.append(f"the checkout pip installed from ({_install.NODE_HOME})")
        cli = _home_cli(Path(_install.NODE_HOME))
        if cli:
            return cli
    except ImportError:
        pass
    checkout = Path(__file__).resolve().parent.parent.parent
    tried.append(f"this package's checkout ({checkout})")
    if (checkout / "package.json").is_file():
        cli = _home_cli(checkout)
        if cli:
            return cli
    command = shutil.which("passgym")
    if command:
        return [command]
    tried.append("'passgym' on PATH")
    raise PassGymError("MISSING_TOOL", "PassGym's server was not found (looked at " + ", ".join(tried)
                       + "); set PASSGYM_HOME to a PassGym checkout where 'npm run setup' ran")


class LocalServer:
    """One private ``passgym serve --parent-pipe`` child process on an ``ipc://`` endpoint.

    Args:
        workers: worker processes of the server (default: the server's, one per core).
        extra_args: more ``passgym serve`` flags.
    Raises:
        PassGymError: ``MISSING_TOOL`` (see ``find_cli``); ``SERVER_FAILED`` when the server exits
            or does not listen within ``START_TIMEOUT_S`` seconds, with its last stderr lines.
    """

    def __init__(self, workers: Optional[int] = None, extra_args: Optional[List[str]] = None):
        self._dir = tempfile.mkdtemp(prefix="passgym-")  # 0700: no other user can reach the socket
        self.endpoint = f"ipc://{self._dir}/server.sock"
        args = find_cli() + ["serve", "--bind", self.endpoint, "--parent-pipe"]
        if workers is not None:
            args += ["--workers", str(workers)]
        args += extra_args or []
        self._stderr: List[str] = []
        self._listening = threading.Event()
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, start_new_session=True)
        self._readers = [threading.Thread(target=self._read_stdout, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for t in self._readers:
            t.start()
        if not self._listening.wait(START_TIMEOUT_S) or self.process.poll() is not None:
            self.stop()
            tail = "".join(self._stderr).strip().splitlines()[-10:]
            raise PassGymError("SERVER_FAILED", f"'{' '.join(args)}' did not start listening"
                               f" (exit {self.process.returncode}): " + " | ".join(tail))

    def _read_stdout(self) -> None:
        for line in self.process.stdout:
            if "listening on" in line:
                self._listening.set()
        self._listening.set()  # ended: the waiter sees poll() != None

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            self._stderr = (self._stderr + [line])[-50:]

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def stop(self, timeout: float = 10.0) -> None:
        """Stops the server (closing its stdin ends it; SIGKILL after ``timeout`` seconds). Idempotent."""
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for t in self._readers:
            t.join(2.0)  # they end at the pipes' end, once the server has exited
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None and not stream.closed:
                stream.close()
        shutil.rmtree(self._dir, ignore_errors=True)


_lock = threading.Lock()
_shared: Optional[LocalServer] = None
_users = 0


def acquire_local_server() -> str:
    """The endpoint of this process's shared ``LocalServer``, started if needed; pair with
    ``release_local_server()``. Raises as ``LocalServer``."""
    global _shared, _users
    with _lock:
        if _shared is None or _shared.process.poll() is not None:
            _shared = LocalServer()
        _users += 1
        return _shared.endpoint


def release_local_server() -> None:
    """Drops one user of the shared server; the last one stops it."""
    global _shared, _users
    with _lock:
        _users = max(0, _users - 1)
        if _users == 0 and _shared is not None:
            _shared.stop()
            _shared = None


def local_server_pid() -> Optional[int]:
    """The shared server's process id while it runs (None otherwise)."""
    with _lock:
        return _shared.pid if _shared is not None and _shared.process.poll() is None else None


@atexit.register
def _stop_at_exit() -> None:
    global _shared
    with _lock:
        if _shared is not None:
            _shared.stop()
            _shared = None
