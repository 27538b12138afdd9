"""``passgym.make`` with its private server, and CompilerGym's env interface on it. CompilerGym's
behaviours (compiler_gym/envs/compiler_env.py, llvm/llvm_env.py) are the specification. Run from
the checkout:

    /usr/bin/python3 -m unittest discover -s python/tests -v
"""
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from processes import alive, wait_gone  # noqa: E402

import numpy as np  # noqa: E402

import passgym  # noqa: E402
from passgym import CompilerEnvState, PassGymError  # noqa: E402
from passgym.server import local_server_pid  # noqa: E402

QSORT = "benchmark://embedded-v0/qsort"


@unittest.skipUnless(shutil.which("node") and (ROOT / "dist" / "scripts" / "cli.js").is_file(), "needs node and npm run build")
class MakeTest(unittest.TestCase):
    def make(self, env_id="llvm-v0", **kw):
        env = passgym.make(env_id, **kw)
        self.addCleanup(env.close)
        return env

    def test_the_private_server_is_shared_and_stops_with_the_last_env(self):
        a = passgym.make("llvm-ic-v0")
        pid = local_server_pid()
        self.assertIsNotNone(pid)
        b = passgym.make("llvm-autophase-ic-v0", benchmark="benchmark://embedded-v0/crc32")
        self.assertEqual(local_server_pid(), pid)
        self.assertTrue(a.client.endpoint.startswith("ipc://"))
        a.reset()
        b.reset()
        a.close()
        self.assertTrue(alive(pid))
        self.assertEqual(b.step("mem2reg")[1] > 0, True)
        b.close()
        self.assertTrue(wait_gone(pid))
        self.assertIsNone(local_server_pid())

    def test_no_orphaned_server_after_the_caller_is_killed(self):
        # CompilerGym's issue #326: a killed caller left its service running. Here the server
        # watches a pipe its parent holds.
        code = ("import sys, os, signal; sys.path.insert(0, %r); import passgym; from passgym.server import local_server_pid;"
                "env = passgym.make('llvm-ic-v0'); env.reset(); print(local_server_pid(), passgym.server._shared.endpoint, flush=True);"
                "os.kill(os.getpid(), signal.SIGKILL)") % str(ROOT / "python")
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, -9, r.stderr)
        pid_text, endpoint = r.stdout.split()
        pid = int(pid_text)
        self.assertTrue(wait_gone(pid), f"passgym serve {pid} outlived its killed parent")
        # Nor its private folder: the server removes its socket and the folder as it stops.
        folder = os.path.dirname(endpoint[len("ipc://"):])
        self.assertFalse(os.path.exists(folder), f"{folder} outlived the killed caller and its server")

    def test_env_ids_and_unknown_ids(self):
        self.assertEqual(len(passgym.ENV_IDS), 7)
        env = self.make("llvm-autophase-ic-v0")
        self.assertEqual(env.observation_space.name, "Autophase")
        self.assertEqual(env.reward_space, "IrInstructionCountOz")
        self.assertEqual(env.reward_range, (-math.inf, math.inf))
        with self.assertRaises(PassGymError) as cm:
            passgym.make("llvm-nope-v0")
        self.assertEqual(cm.exception.code, "UNKNOWN_SPACE")
        self.assertIn("llvm-autophase-codesize-v0", cm.exception.message)
        self.assertIsNone(self.make("llvm-ic-v0", reward_space=None).reward_space)

    def test_views_setters_and_step_lists(self):
        env = self.make("llvm-v0", benchmark=QSORT)
        env.observation_space = "Autophase"  # CompilerGym's leaderboard idiom: set, then reset
        env.reward_space = "IrInstructionCountOz"
        obs, info = env.reset()
        self.assertEqual(obs.shape, (56,))
        self.assertEqual(info["benchmark"], QSORT)
        count0 = env.observation["IrInstructionCount"]
        self.assertIsInstance(count0, int)
        self.assertIn("Autophase", env.observation)
        self.assertEqual(env.reward["IrInstructionCount"], 0.0)  # first named now: no change yet
        obs, reward, terminated, truncated, info = env.step("-mem2reg")  # a CompilerGym flag
        self.assertGreater(reward, 0)
        self.assertFalse(info["action_had_no_effect"])
        self.assertEqual(env.reward["IrInstructionCount"], count0 - env.observation["IrInstructionCount"])
        _, _, _, _, info = env.step("mem2reg")
        self.assertTrue(info["action_had_no_effect"])
        # Observation space set mid-episode: the next step returns it.
        env.observation_space = "InstCount"
        obs, *_ = env.step("instcombine")
        self.assertEqual(obs.shape, env.observation_space.shape)
        before = env.episode_reward
        obs, rewards, *_ = env.step("gvn", observation_spaces=["IrInstructionCount", "Autophase"],
                                    reward_spaces=["IrInstructionCount", "IrInstructionCountOz"])
        self.assertIsInstance(obs, list)
        self.assertEqual(obs[0], env.observation["IrInstructionCount"])
        self.assertEqual(len(rewards), 2)
        # As in CompilerGym, a step with reward_spaces leaves episode_reward (the env's own space) alone.
        self.assertEqual(env.episode_reward, before)
        self.assertEqual(env.actions, [env.action_space.index(a) for a in ("mem2reg", "mem2reg", "instcombine", "gvn")])
        # The benchmark setter takes effect at the next reset.
        env.benchmark = "benchmark://embedded-v0/crc32"
        self.assertEqual(env.benchmark, QSORT)
        env.reset()
        self.assertEqual(env.benchmark, "benchmark://embedded-v0/crc32")
        with self.assertRaises(PassGymError):
            env.observation_space = "NoSuchSpace"

    def test_state_apply_fork_validate_and_files(self):
        env = self.make("llvm-ic-v0", benchmark=QSORT)
        self.assertFalse(env.in_episode)
        env.reset()
        self.assertTrue(env.in_episode)
        env.multistep(["mem2reg", "instcombine", "simplifycfg"])
        state = env.state
        self.assertIsInstance(state, CompilerEnvState)
        self.assertGreater(state.walltime, 0)
        self.assertLess(state.walltime, env.episode_walltime + 1e-9)
        result = env.validate()
        self.assertTrue(result.ok, result)
        self.assertTrue(result.okay() and result.reward_validated and not result.reward_validation_failed)
        self.assertAlmostEqual(result.actual_reward, state.reward, delta=1e-9)
        bad = CompilerEnvState(state.benchmark, state.commandline, reward=state.reward + 1.0)
        mismatch = env.validate(bad)
        self.assertFalse(mismatch.ok)
        self.assertTrue(mismatch.reward_validation_failed)
        self.assertEqual(mismatch.errors[0].split(":")[0], "RewardMismatch")
        other = self.make("llvm-ic-v0")
        other.apply(state)
        self.assertEqual(other.state, state)  # CompilerGym's equality: benchmark, commandline, reward
        self.assertEqual(other.observation["IrSha1"], env.observation["IrSha1"])
        fork = env.fork()
        self.addCleanup(fork.close)
        fork.step("gvn")
        self.assertNotEqual(fork.actions, env.actions)
        with tempfile.TemporaryDirectory() as d:
            bc = env.write_bitcode(Path(d) / "state.bc")
            self.assertEqual(bc.read_bytes()[:2], b"BC")
            ir = env.write_ir(Path(d) / "state.ll")
            self.assertIn("define", ir.read_text())
        wrong = CompilerEnvState("benchmark://embedded-v0/crc32", state.commandline)
        with self.assertRaises(PassGymError) as cm:
            other.apply(wrong)
        self.assertEqual(cm.exception.code, "EPISODE_STATE")

    def test_runtime_parameters_are_kept_across_resets(self):
        env = self.make("llvm-v0", benchmark="benchmark://embedded-v0/matmul")
        self.assertEqual((env.runtime_observation_count, env.runtime_warmup_runs_count), (1, 0))
        env.runtime_observation_count = 3
        env.reset()
        env.runtime_warmup_runs_count = 1
        runs = env.observation["Runtime"]  # one value per run
        self.assertEqual(runs.shape, (3,))
        self.assertTrue((runs > 0).all())
        env.reset()
        self.assertEqual((env.runtime_observation_count, env.runtime_warmup_runs_count), (3, 1))
        with self.assertRaises(PassGymError) as cm:
            env.runtime_observation_count = 1000
        self.assertEqual(cm.exception.code, "INVALID_VALUE")
        self.assertEqual(env.runtime_observation_count, 3)

    def test_action_space_flags(self):
        env = self.make("llvm-v0")
        space = env.action_space
        self.assertEqual(len(space.flags), space.n)
        self.assertIn("-mem2reg", space.flags)
        self.assertEqual(space.index(space.flags[space.names.index("gvn")]), space.names.index("gvn"))


if __name__ == "__main__":
    unittest.main()
