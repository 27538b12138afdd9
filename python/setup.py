"""Build step of ``pip install ./python`` (the metadata is in pyproject.toml).

It adds two files to the built package, so that an installed ``passgym`` needs no checkout path:
``passgym/proto/passgym.proto`` (a copy of the wire contract, which ``passgym._proto`` compiles with
protoc on first import) and ``passgym/_install.py`` with ``NODE_HOME``, the checkout this was built
from, where ``passgym.server`` finds the Node server (``dist/scripts/cli.js``; ``$PASSGYM_HOME``
overrides it).
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent


class BuildPy(build_py):
    def run(self):
        super().run()
        pkg = Path(self.build_lib) / "passgym"
        (pkg / "proto").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CHECKOUT / "proto" / "passgym.proto", pkg / "proto" / "passgym.proto")
        (pkg / "_install.py").write_text(
            '"""Written by setup.py at install: where the PassGym checkout is (passgym.server)."""\n'
            f"NODE_HOME = {str(CHECKOUT)!r}\n")


setup(cmdclass={"build_py": BuildPy})
