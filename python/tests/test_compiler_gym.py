"""``passgym.compiler_gym``: CompilerGym's API for existing scripts. The scripts below are
CompilerGym's getting-started walkthrough and its CompilerEnv docstring example, with only the
import changed. Run from the checkout:

    /usr/bin/python3 -m unittest discover -s python/tests -v
"""
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import passgym.compiler_gym as compiler_gym  # noqa: E402  (the one changed line)
from passgym import PassGymError  # noqa: E402
from passgym.server import acquire_local_server, release_local_server  # noqa: E402


@unittest.skipUnless(shutil.which("node") and (ROOT / "dist" / "scripts" / "cli.js").is_file(), "needs node and npm run build")
class CompilerGymScriptsTest(unittest.TestCase):
    def test_getting_started_walkthrough(self):
        env = compiler_gym.make(
            "llvm-v0",
            benchmark="cbench-v1/qsort",
            observation_space="Autophase",
            reward_space="IrInstructionCountOz",
        )
        self.addCleanup(env.close)
        observation = env.reset()
        self.assertEqual(observation.shape, (56,))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            env.render()
        self.assertIn("[", out.getvalue())
        self.assertEqual(env.action_space.n, len(env.action_space.names))
        observation, reward, done, info = env.step(env.action_space.sample())
        self.assertIsInstance(done, bool)
        self.assertIn("action_had_no_effect", info)
        # Flags, as the walkthrough's "env.action_space.flags" and step by flag.
        observation, reward, done, info = env.step(env.action_space.flags.index("-mem2reg"))
        self.assertGreater(env.episode_reward, 0)
        self.assertIn("mem2reg", env.commandline())
        with tempfile.TemporaryDirectory() as d:
            env.write_bitcode(os.path.join(d, "program.bc"))
            self.assertGreater(os.path.getsize(os.path.join(d, "program.bc")), 0)
        self.assertEqual(env.benchmark, "benchmark://embedded-v0/qsort")  # the mapped cBench program

    def test_compiler_env_docstring_loop(self):
        env = compiler_gym.make("llvm-autophase-ic-v0", benchmark="cbench-v1/crc32")
        self.addCleanup(env.close)
        observation = env.reset()
        cumulative_reward = 0
        for i in range(100):
            action = env.action_space.sample()
            observation, reward, done, info = env.step(action)
            cumulative_reward += reward
            if done:
                break
        self.assertAlmostEqual(cumulative_reward, env.episode_reward, delta=1e-9)
        # The state validates, as CompilerGym's env.validate() does.
        self.assertTrue(env.validate().okay())

    def test_wrappers_keep_the_gym_api(self):
        from passgym.compiler_gym.wrappers import TimeLimit
        env = TimeLimit(compiler_gym.make("llvm-ic-v0", benchmark="cbench-v1/adpcm"), max_episode_steps=3)
        self.addCleanup(env.close)
        env.reset()
        dones = [env.step(0)[2] for _ in range(3)]
        self.assertEqual(dones, [False, False, True])

    def test_cbench_table_and_unmapped_names(self):
        self.assertEqual(compiler_gym.map_benchmark("benchmark://cbench-v1/jpeg-c"), "benchmark://apps-v0/cjpeg")
        self.assertEqual(compiler_gym.map_benchmark("generator://csmith-v0/7"), "generator://csmith-v0/7")
        with self.assertRaises(PassGymError) as cm:
            compiler_gym.make("llvm-v0", benchmark="cbench-v1/ghostscript")
        self.assertEqual(cm.exception.code, "UNKNOWN_BENCHMARK")
        self.assertIn("gsm -> benchmark://apps-v0/toast", cm.exception.message)
        self.assertEqual(len(compiler_gym.COMPILER_GYM_ENVS), 7)

    def test_a_compiler_gym_leaderboard_policy_runs_unchanged(self):
        # CompilerGym's leaderboard signature: policy(env) optimises env in place (gym API).
        policy = textwrap.dedent('''
            def policy(env):
                for action in ["-mem2reg", "-instcombine", "-simplifycfg"]:
                    observation, reward, done, info = env.step(env.action_space.flags.index(action))
                    if done:
                        break
        ''')
        endpoint = acquire_local_server()
        self.addCleanup(release_local_server)
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write(policy)
        self.addCleanup(os.unlink, f.name)
        r = subprocess.run([sys.executable, "-m", "passgym.leaderboard", f.name, "--endpoint", endpoint,
                            "--benchmark", "benchmark://embedded-v0/qsort"],
                           cwd=ROOT / "python", capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        result = json.loads(r.stdout.strip().splitlines()[-1].split(" ", 1)[1])
        self.assertEqual(len(result["actions"]), 3)


if __name__ == "__main__":
    unittest.main()
