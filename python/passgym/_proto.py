"""The generated protobuf module of ``proto/passgym.proto``.

The ``*_pb2.py`` code is not committed: on import this module runs ``protoc`` on the checkout's
``proto/passgym.proto`` and writes ``passgym_pb2.py`` into ``python/passgym/_generated/`` (git-ignored)
when that file is missing or older than the ``.proto``. If the package folder is not writable, the
code goes to ``$XDG_CACHE_HOME/passgym/python`` (default ``~/.cache/passgym/python``) instead.
``PASSGYM_PROTO`` overrides the path of the ``.proto``.

Exports ``pb``: the generated module (``pb.Request``, ``pb.Response``, ...).

Raises ImportError with the ``apt-get`` line to run when ``protoc`` or the protobuf runtime is
missing, or when ``protoc`` fails.
"""
from __future__ import annotations

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
    """Path of ``passgym.proto``: ``$PASSGYM_PROTO`` or ``<checkout>/proto/passgym.proto``."""
    p = Path(os.environ.get("PASSGYM_PROTO") or _PKG.parent.parent / "proto" / "passgym.proto")
    if not p.is_file():
        raise ImportError(f"passgym: {p} not found (run from a PassGym checkout or set PASSGYM_PROTO)")
    return p


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


def _generate(proto: Path, out: Path) -> None:
    protoc = shutil.which("protoc")
    if protoc is None:
        raise ImportError(f"passgym: protoc not found; it compiles {proto.name} on first import. Install it: {APT_HINT}")
    # Generate in a scratch folder, then rename: concurrent imports never see a half-written file.
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        r = subprocess.run([protoc, f"--python_out={tmp}", f"-I{proto.parent}", str(proto)], capture_output=True, text=True)
        if r.returncode != 0:
            raise ImportError(f"passgym: protoc failed on {proto}:\n{r.stderr.strip()}")
        os.replace(Path(tmp) / "passgym_pb2.py", out / "passgym_pb2.py")


def _load():
    if _MODULE in sys.modules:
        return sys.modules[_MODULE]
    try:
        import google.protobuf  # noqa: F401
    except ImportError as e:
        raise ImportError(f"passgym: the protobuf runtime is missing ({e}). Install it: {APT_HINT}") from None
    proto = proto_path()
    target = _writable_dir() / "passgym_pb2.py"
    if not target.is_file() or target.stat().st_mtime < proto.stat().st_mtime:
        _generate(proto, target.parent)
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
