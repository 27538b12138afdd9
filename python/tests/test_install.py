"""``pip install ./python`` into a venv over Debian's packages, then ``import passgym`` from
outside the checkout finds the .proto and the Node server by itself (``passgym/_install.py``)."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@unittest.skipUnless(shutil.which("node") and (ROOT / "dist" / "scripts" / "cli.js").is_file(), "needs node and npm run build")
class InstallTest(unittest.TestCase):
    def test_pip_install_into_a_venv_and_make_an_env(self):
        with tempfile.TemporaryDirectory() as d:
            venv = Path(d) / "venv"
            subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)], check=True)
            # pip builds in the source folder (python/build, python/passgym.egg-info: git-ignored);
            # start from none, so that no file of an older build is installed.
            build = ROOT / "python"
            for leftover in (build / "build", build / "passgym.egg-info"):
                shutil.rmtree(leftover, ignore_errors=True)
                self.addCleanup(shutil.rmtree, leftover, True)
            # Offline: setuptools, numpy, pyzmq and protobuf come from Debian's system packages.
            r = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index", "--quiet", str(build)],
                               capture_output=True, text=True, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            code = ("import passgym, passgym.server, passgym._proto as p; print(passgym.__file__); print(p.proto_path());"
                    "print(passgym.server.find_cli()[-1]);"
                    "env = passgym.make('llvm-ic-v0'); env.reset(); print(env.step('mem2reg')[1] > 0); env.close()")
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PASSGYM_HOME")}
            r = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=d, capture_output=True, text=True, env=env, timeout=180)
            self.assertEqual(r.returncode, 0, r.stderr)
            module, proto, cli, stepped = r.stdout.strip().splitlines()
            self.assertTrue(module.startswith(str(venv)), module)
            self.assertTrue(proto.startswith(str(venv)), proto)  # the packaged copy, not the checkout's
            self.assertEqual(cli, str(ROOT / "dist" / "scripts" / "cli.js"))  # recorded at install
            self.assertEqual(stepped, "True")


if __name__ == "__main__":
    unittest.main()
