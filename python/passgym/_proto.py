"""The generated protobuf module of ``proto/passgym.proto``.

The ``*_pb2.py`` code is not committed: on import this module runs ``protoc`` on the ``.proto``
(see ``proto_path``) and writes ``passgym_pb2_<sha256 prefix of the .proto>.py`` into
``passgym/_generated/`` (git-ignored) when no code for that exact ``.proto`` exists yet. If the
package folder is not writable, the code goes to ``$XDG_CACHE_HOME/passgym/python`` (default
``~/.cache/passgym/python``) instead. ``PASSGYM_PROTO`` overrides the path of the ``.proto``.

Exports ``pb``: the generated module (``pb.Request``, ``pb.Response``, ...).

Raises ImportError with the ``apt-get`` line to run when ``protoc`` or the protobuf runtime is
missing, or when ``protoc`` fails.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

APT_HINT = "apt-get install -y protobuf-compiler python3-protobuf python3-zmq python3-numpy (and use /usr/bin/python3)"
_PKG = Path(__file__).resolve().parent
_MODULE = "passgym._generated.passgym_pb2"


def proto_path() -> Path:
    """Path of ``passgym.proto``: ``$PASSGYM_PROTO``, else the copy ``pip install`` put in the
    package (``passgym/proto/passgym.proto``), else ``<checkout>/proto/passgym.proto``."""
    env = os.environ.get("PASSGYM_PROTO")
    candidates = [Path(env)] if env else [_PKG / "proto" / "passgym.proto", _PKG.parent.parent / "proto" / "passgym.proto"]
    for p in candidates:
        if p.is_file():
            return p
    raise ImportError(f"passgym: {candidates[-1]} not found (install with pip, run from a PassGym checkout, or set PASSGYM_PROTO)")


def _writable_dir() -> Path:
    out = _PKG / "_generated"
    try:
        out.mkdir(exist_ok=True)
        if os.access(out, os.W_OK):
            ignore = out / ".gitignore"  # generated code stays out of git even without a root entry
            if not ignore.exists():
                ignore.write_text("*\n")
            return out
    except OSError:
        pass
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "passgym" / "python"
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def _generate(proto: Path, target: Path) -> None:
    protoc = shutil.which("protoc")
    if protoc is None:
        raise ImportError(f"passgym: protoc not found; it compiles {proto.name} on first import. Install it: {APT_HINT}")
    # Generate in a scratch folder, then rename: concurrent imports never see a half-written file.
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        r = subprocess.run([protoc, f"--python_out={tmp}", f"-I{proto.parent}", str(proto)], capture_output=True, text=True)
        if r.returncode != 0:
            raise ImportError(f"passgym: protoc failed on {proto}:\n{r.stderr.strip()}")
        os.replace(Path(tmp) / "passgym_pb2.py", target)


def _load():
    if _MODULE in sys.modules:
        return sys.modules[_MODULE]
    try:
        import google.protobuf  # noqa: F401
    except ImportError as e:
        raise ImportError(f"passgym: the protobuf runtime is missing ({e}). Install it: {APT_HINT}") from None
    proto = proto_path()
    # Named by the .proto's content: checkouts and versions that share a cache never mix code.
    digest = hashlib.sha256(proto.read_bytes()).hexdigest()[:16]
    target = _writable_dir() / f"passgym_pb2_{digest}.py"
    if not target.is_file():
        _generate(proto, target)
    spec = importlib.util.spec_from_file_location(_MODULE, target)
    module = importlib.util.module_from_spec(spec)
    sys.modules[_MODULE] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        del sys.modules[_MODULE]
        raise
    return module


pb = _load()
