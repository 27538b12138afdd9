"""PassGym's inst2vec vocabulary and embedding, for ``Inst2vecEmbeddingIndices`` and ``Inst2vec``.

``env.inst2vec`` (CompilerGym's attribute of the same name) is an ``Inst2vecEncoder`` over the
artifact ``data/inst2vec`` of the PassGym installation this client uses (the one the local server
runs from; see ``passgym.server``): ``vocab`` maps a preprocessed statement to its index,
``embeddings`` is the float32 matrix of shape ``[len(vocab), 200]``.

It is not CompilerGym's vocabulary: PassGym builds its own from its train splits (libs-v0,
torture-v0's train split, csmith-v0 seeds, at -O0, -Oz and -O3, on LLVM 14 and 22) and trains the
embedding with inst2vec's method (Ben-Nun et al., "Neural Code Comprehension", NeurIPS 2018:
skip-gram over the contextual flow graph), by ``passgym inst2vec build``. ``!UNK`` is index 0.
Indices of CompilerGym's vocabulary (``!UNK`` = 8564) mean nothing here, and the reverse.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Union

import numpy as np

from .client import PassGymError


def artifact_dir() -> Path:
    """``data/inst2vec`` of the PassGym installation ``passgym.server.find_home()`` finds.

    Raises:
        PassGymError: ``MISSING_TOOL`` when no PassGym installation is found.
    """
    from .server import find_home
    return find_home() / "data" / "inst2vec"


class Inst2vecEncoder:
    """A loaded inst2vec artifact (``manifest.json``, ``vocabulary.json``, ``embeddings.f16``).

    Args:
        path: the artifact's folder (default: ``artifact_dir()``).
    Raises:
        PassGymError: ``INTERNAL`` naming the file that is missing or does not match its sha256 in
            ``manifest.json``, and the command that rebuilds it.
    """

    def __init__(self, path: Optional[Union[str, Path]] = None):
        self.path = Path(path) if path is not None else artifact_dir()

        def fail(what: str):
            raise PassGymError("INTERNAL", f"inst2vec artifact in {self.path}: {what}; rebuild it with "
                               f"`passgym inst2vec build --out {self.path} --force`")

        def read(name: str) -> bytes:
            try:
                return (self.path / name).read_bytes()
            except OSError:
                fail(f"{name} is missing")

        try:
            self.manifest = json.loads(read("manifest.json"))
            files = self.manifest["files"]
        except (ValueError, KeyError, TypeError):
            fail("manifest.json is not an inst2vec manifest")
        vocab_bytes = read(files["vocabulary"]["name"])
        if hashlib.sha256(vocab_bytes).hexdigest() != files["vocabulary"]["sha256"]:
            fail(f"{files['vocabulary']['name']} does not match its sha256 in manifest.json")
        emb_bytes = read(files["embeddings"]["name"])
        if hashlib.sha256(emb_bytes).hexdigest() != files["embeddings"]["sha256"]:
            fail(f"{files['embeddings']['name']} does not match its sha256 in manifest.json")
        #: Statement of each index.
        self.vocabulary: List[str] = json.loads(vocab_bytes.decode("utf-8"))
        #: Preprocessed statement -> index (CompilerGym's ``env.inst2vec.vocab``).
        self.vocab: Dict[str, int] = {s: i for i, s in enumerate(self.vocabulary)}
        size, dim = self.manifest["vocabulary_size"], self.manifest["dim"]
        if len(self.vocabulary) != size or len(emb_bytes) != 2 * size * dim:
            fail("the vocabulary or embedding size differs from manifest.json")
        #: float32 array of shape [len(vocab), dim] (stored as IEEE half precision).
        self.embeddings: np.ndarray = np.frombuffer(emb_bytes, dtype="<f2").astype(np.float32).reshape(size, dim)
        #: The artifact's version string (e.g. ``passgym-inst2vec-v1``).
        self.version: str = self.manifest["version"]
        #: Index of ``!UNK``.
        self.unknown_index: int = self.manifest["unknown_index"]

    @property
    def dim(self) -> int:
        """Embedding dimension (200)."""
        return int(self.manifest["dim"])

    def encode(self, statements: Iterable[str]) -> List[int]:
        """Vocabulary index of each preprocessed statement (``unknown_index`` for one not in it)."""
        return [self.vocab.get(s, self.unknown_index) for s in statements]

    def embed(self, indices: Iterable[int]) -> np.ndarray:
        """Embedding rows of ``indices``: float32 array of shape [n, dim].

        Raises:
            IndexError: for an index outside ``0 .. len(vocab) - 1`` (negative ones included).
        """
        idx = np.asarray(list(indices), dtype=np.int64)
        bad = idx[(idx < 0) | (idx >= len(self.vocabulary))]
        if len(bad):
            raise IndexError(f"inst2vec index {int(bad[0])} is outside the vocabulary (0..{len(self.vocabulary) - 1})")
        return self.embeddings[idx]

    def __repr__(self) -> str:
        return f"Inst2vecEncoder({self.version}, {len(self.vocabulary)} statements, dim {self.dim})"


_shipped: Optional[Inst2vecEncoder] = None


def shipped_encoder() -> Inst2vecEncoder:
    """The encoder of ``artifact_dir()``, loaded once per process."""
    global _shipped
    if _shipped is None:
        _shipped = Inst2vecEncoder()
    return _shipped
