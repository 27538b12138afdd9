"""CompilerGym's own behavioural tests of its LLVM environment, ported to PassGym's Python client
as a user switching over would port them: ``import passgym.compiler_gym as compiler_gym`` where
the tests ``import compiler_gym`` / ``gym.make``, ``passgym.compiler_gym.wrappers`` for
``compiler_gym.wrappers``, ``passgym.state`` for ``compiler_gym.compiler_env_state``.

Source: github.com/facebookresearch/CompilerGym, commit 00cd50fd38f8 (2024-10-09), files under
tests/. Each test below names its CompilerGym file and test. CompilerGym's ``env`` fixture is
``gym.make("llvm-v0")``; here it is ``compiler_gym.make("llvm-v0")``, closed after the test.
pytest parametrizations are ``subTest`` loops. 179 tests are ported; 157 pass, and 22 are marked
``expectedFailure`` with what PassGym lacks (2026-12-02). Run from the checkout:

    PASSGYM_LLVM=14 /usr/bin/python3 -m unittest python/tests/test_compilergym_ported.py -v

Mechanical translations (CompilerGym spellings the compat module does not accept, replaced by
PassGym's equivalent; the behaviour checked is unchanged):

    ================================================  ==============================================
    CompilerGym                                        here
    ================================================  ==============================================
    env.observation.NAME()                             env.observation["NAME"]
    env.reward.NAME()                                  env.reward["NAME"]
    env.ir, env.ir_sha1                                env.observation["Ir"], env.observation["IrSha1"]
    env.action_space["-flag"]                          env.action_space.index("-flag")
    env.action_space.from_string(name)[0]              env.action_space.index(name)
    env.observation.spaces[k].space.X                  env.observation.spaces[k].X (the space itself)
    env.observation_space_spec.id                      env.observation_space.id
    env.reward_space_spec                              env.reward_space (or the wrapper's attributes)
    Sequence.size_range == (0, int64 max)              (min_length, max_length) == (0, None)
    Scalar space                                       Box of shape ()
    compiler_gym.wrappers.CompilerEnvWrapper           passgym.compiler_gym.wrappers.Wrapper
    convert_observation / convert_reward methods       observation / reward (Gymnasium's names)
    CompilerEnvState.json()                            json.dumps(state.to_dict())
    env.make_benchmark(path)                           env.client.add_benchmark(name, bytes) (upload)
    pytest.raises(ValueError/LookupError/KeyError)     the PassGymError subclass of the code (by design)
    mocker.spy / monkeypatch                           unittest.mock
    ================================================  ==============================================

Benchmarks: cbench-v1/NAME is mapped to PassGym's program (``compiler_gym.CBENCH``), so an
assertion on ``env.benchmark`` compares with ``compiler_gym.map_benchmark(NAME)``, and pinned
values of cBench's LLVM-10 builds (instruction counts, feature vectors, code sizes) are replaced by
the relations those numbers embody (computed from other observations of the same state). CompilerGym's
non-runnable chstone-v0/gsm and npb-v0/1 become ``generator://llvm-stress-v0/1`` (never runnable).
In a test marked expected-failure, the assertions PassGym cannot meet come last, so that
everything before them is still checked; the comment above the decorator says what is missing.

Not ported (PassGym does not have these by design; not counted):

    ==========================================================  ==============================================
    CompilerGym file: tests                                      why
    ==========================================================  ==============================================
    llvm/llvm_env_test: test_service_version                     gRPC service version (no service package)
    llvm/llvm_env_test: test_benchmark_names                     CompilerGym's datasets API (env.datasets)
    llvm/llvm_env_test: test_connection_dies_default_reward,     kill the gRPC service; reward spaces'
      test_connection_dies_default_reward_negated                  default_value/default_negates_returns
    llvm/llvm_env_test: test_generate_enum_declarations          generated compiler_gym.envs.llvm enums
    llvm/observation_spaces_test: test_text_size_observation_    cBench-v1 crc32's pinned per-platform sizes
      space_values                                                 (PassGym's crc32 is its own build)
    llvm/validate_test: test_no_validation_callback_for_custom_  benchmark object API (Benchmark.is_validatable)
      benchmark
    llvm/multiprocessing_test: test_moving_environment_to_       macOS only (pickling a subprocess.Popen)
      background_process_macos
    llvm/invalid_ir_test: test_reset_invalid_ir                  LLVM-10-specific: invalid_ir.ll only fails
                                                                   LLVM 10's backend; llc-14 and clang-14
                                                                   compile it
    llvm/runtime_test: test_custom_benchmark_runtime,            benchmark proto API (build_cmd/run_cmd of
      test_custom_benchmark_runtimes_differ                        make_benchmark); PassGym's private server
                                                                   never runs uploads
    llvm/runtime_test: test_correct_number_of_observations_      user-defined Python Reward subclasses
      during_reset                                                 (env.reward.add_space)                      
    llvm/gym_interface_compatability_test: test_type_classes     needs gym (not installed; PassGym's
                                                                   Gymnasium path is untestable here)
    llvm/gym_interface_compatability_test: test_env_spec_make,   gym EnvSpec internals (the first is
      test_env_spec_make_workaround                                CompilerGym's own strict xfail)
    llvm/custom_benchmarks_test (31), llvm/llvm_benchmark_test,  benchmark object API (make_benchmark,
      llvm/split_merge_integration_test, llvm/datasets_pickle_     Benchmark, datasets, split/merge)
      test
    llvm/compute_observation_test (5)                            compiler_gym.envs.llvm.compute_observation
    llvm/service_connection_test, llvm/llvm_session_parameters_  gRPC service internals / send_param channel
      test, llvm/download_llvm_test                                (runtime counts are ported in runtime_test)
    llvm/fork_regression_test, llvm/validation_regression_test,  cBench programs PassGym does not map
      llvm/fuzzing_regression_test                                 (rijndael, susan, blowfish, poj104, …) and
                                                                   asserting CompilerGym's own LLVM-10 bugs
    wrappers/validation_test: test_ValidateBenchmarkAfterEvery   monkeypatches Benchmark.ivalidate
      Step_invalid                                                 (benchmark object API)
    wrappers/sqlite_logger_test (3)                              no SynchronousSqliteLogger wrapper
    ==========================================================  ==============================================

Adapted by design (comments at each place): PassGym's command lines are the new pass manager's
(``opt-N -passes='module(…)'``); Buildtime is one float; exceptions are one PassGymError subclass per
code; Runtime/Buildtime of a non-runnable benchmark raise NOT_RUNNABLE; Bitcode is ``bytes``;
every reward space's range is (-inf, inf); a reward space read through ``env.reward[...]`` counts
from where it is first named (docs/python.md), so tests that read one after a step name it at
reset first; wrappers end the episode (a further step raises EPISODE_STATE); ForkOnStep.undo()
with nothing to undo raises IndexError; the IR's
ModuleID and source_filename are the benchmark URI (CompilerGym: "-").

Result on LLVM 14 (2 cores): 169 ported, 147 pass, 22 expected failures (each says what is missing).
"""
import io
import json
import itertools
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import warnings
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from processes import alive, wait_gone  # noqa: E402

import numpy as np  # noqa: E402

import passgym  # noqa: E402
import passgym.compiler_gym as compiler_gym  # noqa: E402  (was: import compiler_gym)
from passgym import PassGymError  # noqa: E402
from passgym.compiler_gym import wrappers as cg_wrappers  # noqa: E402  (was: compiler_gym.wrappers)
from passgym.server import local_server_pid  # noqa: E402
from passgym.state import (  # noqa: E402  (was: compiler_gym.compiler_env_state)
    CompilerEnvState,
    CompilerEnvStateReader,
    CompilerEnvStateWriter,
    StateFormatError,
)

HAVE_SERVER = bool(shutil.which("node")) and (ROOT / "dist" / "scripts" / "cli.js").is_file()
needs_server = unittest.skipUnless(HAVE_SERVER, "needs node and npm run build")

INF = float("inf")

# The observation spaces of CompilerGym's LLVM env (observation_spaces_test.test_observation_spaces).
COMPILER_GYM_OBSERVATION_SPACES = {
    "Autophase", "AutophaseDict", "Bitcode", "BitcodeFile", "Buildtime", "CpuInfo", "Inst2vec",
    "Inst2vecEmbeddingIndices", "Inst2vecPreprocessedText", "InstCount", "InstCountDict", "InstCountNorm",
    "InstCountNormDict", "Ir", "IrInstructionCount", "IrInstructionCountO0", "IrInstructionCountO3",
    "IrInstructionCountOz", "IrSha1", "IsBuildable", "IsRunnable", "LexedIr", "LexedIrTuple",
    "ObjectTextSizeBytes", "ObjectTextSizeO0", "ObjectTextSizeO3", "ObjectTextSizeOz", "Programl",
    "ProgramlJson", "Runtime", "TextSizeBytes", "TextSizeO0", "TextSizeO3", "TextSizeOz",
}
# Those PassGym has (its GetSpaces).
PASSGYM_OBSERVATION_SPACES = {
    "Autophase", "AutophaseDict", "Bitcode", "Buildtime", "InstCount", "InstCountDict", "InstCountNorm",
    "InstCountNormDict", "Ir", "IrInstructionCount", "IrInstructionCountO0", "IrInstructionCountO3", "IrInstructionCountOz", "IrSha1",
    "IsBuildable", "IsRunnable", "ObjectTextSizeBytes", "ObjectTextSizeO0", "ObjectTextSizeO3",
    "ObjectTextSizeOz", "Runtime", "TextSizeBytes", "TextSizeO0", "TextSizeO3", "TextSizeOz",
    "BitcodeFile", "CpuInfo", "LexedIr", "LexedIrTuple", "Programl", "ProgramlJson",
    "Inst2vec", "Inst2vecEmbeddingIndices", "Inst2vecPreprocessedText",
}
# CompilerGym's reward spaces (reward_spaces_test.test_reward_spaces).
COMPILER_GYM_REWARD_SPACES = {
    "IrInstructionCount", "IrInstructionCountNorm", "IrInstructionCountO3", "IrInstructionCountOz",
    "ObjectTextSizeBytes", "ObjectTextSizeNorm", "ObjectTextSizeO3", "ObjectTextSizeOz",
    "TextSizeBytes", "TextSizeNorm", "TextSizeO3", "TextSizeOz",
}

# CompilerGym's AutophaseDict keys, in the order of its Autophase vector (autophase_test).
AUTOPHASE_KEYS = [
    "BBNumArgsHi", "BBNumArgsLo", "onePred", "onePredOneSuc", "onePredTwoSuc", "oneSuccessor", "twoPred",
    "twoPredOneSuc", "twoEach", "twoSuccessor", "morePreds", "BB03Phi", "BBHiPhi", "BBNoPhi", "BeginPhi",
    "BranchCount", "returnInt", "CriticalCount", "NumEdges", "const32Bit", "const64Bit", "numConstZeroes",
    "numConstOnes", "UncondBranches", "binaryConstArg", "NumAShrInst", "NumAddInst", "NumAllocaInst",
    "NumAndInst", "BlockMid", "BlockLow", "NumBitCastInst", "NumBrInst", "NumCallInst", "NumGetElementPtrInst",
    "NumICmpInst", "NumLShrInst", "NumLoadInst", "NumMulInst", "NumOrInst", "NumPHIInst", "NumRetInst",
    "NumSExtInst", "NumSelectInst", "NumShlInst", "NumStoreInst", "NumSubInst", "NumTruncInst", "NumXorInst",
    "NumZExtInst", "TotalBlocks", "TotalInsts", "TotalMemInst", "TotalFuncs", "ArgsPhi", "testUnary",
]

NOT_RUNNABLE = "generator://llvm-stress-v0/1"  # stands for CompilerGym's chstone-v0/gsm and npb-v0/1


def flag(env, name: str) -> int:
    """``env.action_space.flags.index(name)``, as CompilerGym's tests write it."""
    return env.action_space.flags.index(name)


def strip_module_id(ir: str) -> str:
    """IR without its first (ModuleID) line, as CompilerGym's fork tests compare it."""
    return "\n".join(ir.split("\n")[1:])


def function_count(ir: str) -> int:
    """Functions of a module, declarations included (what CompilerGym's InstCount and Autophase
    TotalFuncs count: both visit every function of the module)."""
    return sum(1 for line in ir.splitlines() if line.startswith(("define ", "declare ")))


class EnvTestCase(unittest.TestCase):
    """CompilerGym's ``env`` fixture (``gym.make("llvm-v0")``) and ``tmpwd``."""

    def make(self, env_id: str = "llvm-v0", **kwargs):
        # A client timeout shorter than the 600 s default, so that a test whose server went away
        # fails in minutes instead of hanging (the fork lifecycle tests use a shorter one still).
        kwargs.setdefault("timeout_ms", 120_000)
        env = compiler_gym.make(env_id, **kwargs)
        self.addCleanup(env.close)
        return env

    def tmpwd(self) -> Path:
        d = tempfile.mkdtemp(prefix="cg-ported-")
        cwd = os.getcwd()
        os.chdir(d)
        self.addCleanup(shutil.rmtree, d, True)
        self.addCleanup(os.chdir, cwd)
        return Path(d)

    def closed(self, env) -> None:
        """CompilerGym's ``env.service is None`` after close(): here, the env refuses to reset."""
        with self.assertRaises(PassGymError) as ctx:
            env.reset()
        self.assertEqual(ctx.exception.code, "CLOSED")


# ---------------------------------------------------------------------------------------------
# tests/llvm/llvm_env_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class LlvmEnvTest(EnvTestCase):
    # CompilerGym: tests/llvm/llvm_env_test.py::test_compiler_version
    def test_compiler_version(self):
        env = self.make()
        # Adapted: CompilerGym pins LLVM "10.0.0"; PassGym runs the LLVM its server loaded (14-22 by design).
        self.assertTrue(env.compiler_version.startswith(f"{env.action_space.llvm_major}."))

    # CompilerGym: tests/llvm/llvm_env_test.py::test_action_space_names
    def test_action_space_names(self):
        env = self.make()
        # The action_names fixture: the action names of a fresh gym.make("llvm-v0").
        other = self.make()
        self.assertEqual(set(env.action_space.names), set(other.action_space.names))

    # CompilerGym: tests/llvm/llvm_env_test.py::test_action_spaces_names
    def test_action_spaces_names(self):
        env = self.make()
        # Adapted: PassGym has two action spaces by design (PassesWithLevels adds default<O1..Oz>).
        self.assertEqual({a.name for a in env.action_spaces}, {"PassesAll", "PassesWithLevels"})

    # CompilerGym: tests/llvm/llvm_env_test.py::test_all_flags_are_unique
    def test_all_flags_are_unique(self):
        env = self.make()
        self.assertEqual(sorted(env.action_space.flags), sorted(set(env.action_space.flags)))

    # CompilerGym: tests/llvm/llvm_env_test.py::test_double_reset
    def test_double_reset(self):
        # The always_send_benchmark_on_reset parameter is a gRPC service option: one run.
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        env.reset(benchmark="cbench-v1/crc32")
        self.assertTrue(env.in_episode)

    # CompilerGym: tests/llvm/llvm_env_test.py::test_state_serialize_deserialize_equality
    def test_state_serialize_deserialize_equality(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        env.episode_reward = 10

        state = env.state
        self.assertEqual(state.reward, 10)

        buf = io.StringIO()
        CompilerEnvStateWriter(buf).write_state(state)
        buf.seek(0)
        state_from_csv = next(iter(CompilerEnvStateReader(buf)))

        self.assertEqual(state_from_csv.reward, 10)
        self.assertEqual(state, state_from_csv)

    # CompilerGym: tests/llvm/llvm_env_test.py::test_apply_state
    def test_apply_state(self):
        env = self.make()
        env.reward_space = "IrInstructionCount"
        env.reset(benchmark="cbench-v1/crc32")
        env.step(flag(env, "-mem2reg"))

        with compiler_gym.make("llvm-v0", reward_space="IrInstructionCount") as other:
            other.apply(env.state)
            self.assertEqual(other.state, env.state)

    # CompilerGym: tests/llvm/llvm_env_test.py::test_set_observation_space_from_spec
    def test_set_observation_space_from_spec(self):
        env = self.make()
        env.observation_space = env.observation.spaces["Autophase"]
        obs = env.observation_space

        env.observation_space = "Autophase"
        self.assertEqual(env.observation_space, obs)

    # CompilerGym: tests/llvm/llvm_env_test.py::test_set_reward_space_from_spec
    def test_set_reward_space_from_spec(self):
        env = self.make()
        env.reward_space = env.reward.spaces["IrInstructionCount"]
        reward = env.reward_space

        env.reward_space = "IrInstructionCount"
        self.assertEqual(env.reward_space, reward)

    # CompilerGym: tests/llvm/llvm_env_test.py::test_same_reward_after_reset
    def test_same_reward_after_reset(self):
        env = self.make()
        env.reward_space = "IrInstructionCount"
        env.benchmark = "cbench-v1/dijkstra"

        action = flag(env, "-instcombine")
        env.reset()

        _, reward_a, _, _ = env.step(action)
        self.assertTrue(reward_a, "Sanity check that action produces a reward")

        env.reset()
        _, reward_b, _, _ = env.step(action)
        self.assertEqual(reward_a, reward_b)

    # CompilerGym: tests/llvm/llvm_env_test.py::test_write_bitcode
    def test_write_bitcode(self):
        self.tmpwd()
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        env.write_bitcode("file.bc")
        self.assertTrue(Path("file.bc").is_file())

    # CompilerGym: tests/llvm/llvm_env_test.py::test_write_ir
    def test_write_ir(self):
        self.tmpwd()
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        env.write_ir("file.ll")  # CompilerGym's test calls write_bitcode("file.ll") here (a slip).
        self.assertTrue(Path("file.ll").is_file())

    # CompilerGym: tests/llvm/llvm_env_test.py::test_ir_sha1
    def test_ir_sha1(self):
        self.tmpwd()
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        before = env.observation["IrSha1"]

        _, _, done, info = env.step(flag(env, "-mem2reg"))
        self.assertFalse(done, info)
        self.assertFalse(info["action_had_no_effect"], "sanity check failed, action had no effect")

        after = env.observation["IrSha1"]
        self.assertNotEqual(before, after)

    # CompilerGym: tests/llvm/llvm_env_test.py::test_step_multiple_actions_list
    def test_step_multiple_actions_list(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        actions = [flag(env, "-mem2reg"), flag(env, "-reg2mem")]
        _, _, done, _ = env.multistep(actions)
        self.assertFalse(done)
        self.assertEqual(env.actions, actions)

    # CompilerGym: tests/llvm/llvm_env_test.py::test_step_multiple_actions_generator
    def test_step_multiple_actions_generator(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        actions = (flag(env, "-mem2reg"), flag(env, "-reg2mem"))
        _, _, done, _ = env.multistep(a for a in actions)
        self.assertFalse(done)
        self.assertEqual(env.actions, [flag(env, "-mem2reg"), flag(env, "-reg2mem")])


# ---------------------------------------------------------------------------------------------
# tests/llvm/fork_env_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class ForkEnvTest(EnvTestCase):
    # CompilerGym: tests/llvm/fork_env_test.py::test_with_statement
    def test_with_statement(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        env.step(0)
        with env.fork() as fkd:
            self.assertTrue(fkd.in_episode)
            self.assertEqual(fkd.actions, [0])
        self.assertFalse(fkd.in_episode)
        self.assertTrue(env.in_episode)

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_child_process_is_not_orphaned
    def test_fork_child_process_is_not_orphaned(self):
        # Adapted: CompilerGym's service process is PassGym's private server, one per process by
        # design and shared by every env and fork (passgym.server.local_server_pid()). A short client
        # timeout: requests to a stopped server fail in seconds.
        import passgym.server as private_server
        users_before = private_server._users  # other tests' envs may hold the shared server too
        env = self.make(timeout_ms=5_000, retries=1)
        env.reset("cbench-v1/crc32")
        with env.fork() as fkd:
            pid = local_server_pid()
            self.assertIsNotNone(pid)
            self.assertTrue(alive(pid))

            # Close the parent env.
            env.close()
            self.assertFalse(env.in_episode)  # for CompilerGym's `assert not env.service`

            # Check that the service is still alive.
            self.assertTrue(alive(pid))
            self.assertEqual(local_server_pid(), pid)

            # Close the forked env: the service is stopped (when no other test's env holds it).
            fkd.close()
            self.assertEqual(private_server._users, users_before)
            if users_before == 0:
                self.assertTrue(wait_gone(pid))

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_chain_child_processes_are_not_orphaned
    def test_fork_chain_child_processes_are_not_orphaned(self):
        import passgym.server as private_server
        users_before = private_server._users  # other tests' envs may hold the shared server too
        env = self.make(timeout_ms=5_000, retries=1)
        env.reset("cbench-v1/crc32")
        a = env.fork()
        b = a.fork()
        c = b.fork()
        d = c.fork()
        for e in (a, b, c, d):
            self.addCleanup(e.close)
        pid = local_server_pid()
        self.assertIsNotNone(pid)
        a.close()
        self.assertTrue(alive(pid))
        b.close()
        self.assertTrue(alive(pid))
        c.close()
        self.assertTrue(alive(pid))
        d.close()
        self.assertTrue(alive(pid))
        env.close()
        self.assertEqual(private_server._users, users_before)  # every fork gave its reference back
        if users_before == 0:
            self.assertTrue(wait_gone(pid))

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_before_reset
    def test_fork_before_reset(self):
        env = self.make()
        self.assertFalse(env.in_episode)
        with env.fork() as fkd:
            self.assertTrue(env.in_episode)
            self.assertTrue(fkd.in_episode)

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_closed_service
    # Expected failure, missing: fork() of a closed env raises CLOSED; CompilerGym restarts the service and replays the episode into the fork
    @unittest.expectedFailure
    def test_fork_closed_service(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")

        _, _, done, _ = env.step(0)
        self.assertFalse(done)
        self.assertEqual(env.actions, [0])

        env.close()
        self.assertFalse(env.in_episode)  # for CompilerGym's `assert not env.service`

        with env.fork() as fkd:
            self.assertEqual(env.actions, [0])
            self.assertEqual(fkd.actions, [0])

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_spaces_are_same
    def test_fork_spaces_are_same(self):
        env = self.make()
        env.observation_space = "Autophase"
        env.reward_space = "IrInstructionCount"
        env.reset(benchmark="cbench-v1/crc32")

        with env.fork() as fkd:
            self.assertEqual(fkd.reward_space, env.reward_space)
            self.assertEqual(fkd.benchmark, env.benchmark)
            self.assertEqual(fkd.observation_space, env.observation_space)

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_state
    def test_fork_state(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        env.step(0)
        self.assertEqual(env.actions, [0])

        with env.fork() as fkd:
            self.assertEqual(fkd.benchmark, env.benchmark)  # CompilerGym compares fkd with itself (a slip)
            self.assertEqual(fkd.actions, env.actions)

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_reset
    def test_fork_reset(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        env.step(0)
        env.step(1)
        env.step(2)

        with env.fork() as fkd:
            fkd.step(3)

            self.assertEqual(env.actions, [0, 1, 2])
            self.assertEqual(fkd.actions, [0, 1, 2, 3])

            fkd.reset()
            self.assertEqual(env.actions, [0, 1, 2])
            self.assertEqual(fkd.actions, [])

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_custom_benchmark
    def test_fork_custom_benchmark(self):
        env = self.make()
        # CompilerGym's make_benchmark(crc32.bc): here an upload of the bitcode of crc32.
        with compiler_gym.make("llvm-v0", benchmark="cbench-v1/crc32") as src:
            src.reset()
            bitcode = src.observation["Bitcode"]
        benchmark = env.client.add_benchmark("crc32.bc", bitcode)
        env.reset(benchmark=benchmark)

        def ir(e):
            return strip_module_id(e.observation["Ir"])

        with env.fork() as fkd:
            self.assertEqual(ir(env), ir(fkd))

            fkd.reset()
            self.assertEqual(ir(env), ir(fkd))

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_twice_test
    def test_fork_twice_test(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        with env.fork() as fork_a:
            with fork_a.fork() as fork_b:
                self.assertEqual(env.state, fork_a.state)
                self.assertEqual(fork_a.state, fork_b.state)

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_modified_ir_is_the_same
    def test_fork_modified_ir_is_the_same(self):
        env = self.make()
        env.reset("cbench-v1/crc32")

        _, _, done, info = env.step(flag(env, "-mem2reg"))
        self.assertFalse(done)
        self.assertFalse(info["action_had_no_effect"])

        with env.fork() as fkd:
            self.assertEqual(strip_module_id(env.observation["Ir"]), strip_module_id(fkd.observation["Ir"]))

            _, _, done, info = env.step(flag(env, "-gvn"))
            _, _, done, info = fkd.step(flag(fkd, "-gvn"))
            self.assertFalse(done)
            self.assertFalse(info["action_had_no_effect"])

            self.assertEqual(strip_module_id(env.observation["Ir"]), strip_module_id(fkd.observation["Ir"]))

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_rewards
    def test_fork_rewards(self):
        env = self.make()
        # The reward_space fixture: every CompilerGym reward space PassGym has (PassGym's extra
        # "Runtime" reward is not deterministic, and not one of CompilerGym's).
        for reward_space in sorted(COMPILER_GYM_REWARD_SPACES & set(env.reward.spaces)):
            with self.subTest(reward_space=reward_space):
                env.reward_space = reward_space
                env.reset("cbench-v1/dijkstra")
                actions = [flag(env, n) for n in ["-mem2reg", "-simplifycfg"]]
                forked = env.fork()
                try:
                    for action in actions:
                        _, env_reward, env_done, _ = env.step(action)
                        _, fkd_reward, fkd_done, _ = forked.step(action)
                        self.assertIs(env_done, False)
                        self.assertIs(fkd_done, False)
                        self.assertEqual(env_reward, fkd_reward)
                finally:
                    forked.close()

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_previous_cost_reward_update
    def test_fork_previous_cost_reward_update(self):
        env = self.make()
        env.reward_space = "IrInstructionCount"
        env.reset("cbench-v1/crc32")

        env.step(flag(env, "-mem2reg"))
        with env.fork() as fkd:
            _, a, _, _ = env.step(flag(env, "-mem2reg"))
            _, b, _, _ = fkd.step(flag(env, "-mem2reg"))
            self.assertEqual(a, b)

    # CompilerGym: tests/llvm/fork_env_test.py::test_fork_previous_cost_lazy_reward_update
    def test_fork_previous_cost_lazy_reward_update(self):
        env = self.make()
        env.reset("cbench-v1/crc32")

        env.step(flag(env, "-mem2reg"))
        env.reward["IrInstructionCount"]
        with env.fork() as fkd:
            env.step(flag(env, "-mem2reg"))
            fkd.step(flag(env, "-mem2reg"))

            self.assertEqual(env.reward["IrInstructionCount"], fkd.reward["IrInstructionCount"])


# ---------------------------------------------------------------------------------------------
# tests/llvm/observation_spaces_test.py (the spaces PassGym has)
# ---------------------------------------------------------------------------------------------
@needs_server
class ObservationSpacesTest(EnvTestCase):
    # CompilerGym: tests/llvm/observation_spaces_test.py::test_default_observation_space
    def test_default_observation_space(self):
        env = self.make()
        env.observation_space = "Autophase"
        self.assertEqual(env.observation_space.shape, (56,))
        self.assertEqual(env.observation_space.id, "Autophase")

        env.observation_space = None
        self.assertIsNone(env.observation_space)

        invalid = "invalid value"
        # Adapted: UNKNOWN_SPACE (by design) for CompilerGym's LookupError "Observation space not found".
        with self.assertRaisesRegex(passgym.UnknownSpaceError, f"unknown observation space '{invalid}'"):
            env.observation_space = invalid

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_observation_spaces
    def test_observation_spaces(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        # Adapted: CompilerGym v0.2.5's spaces (later versions add Ir2vec*, which PassGym does not have).
        self.assertLessEqual(set(env.observation.spaces.keys()), COMPILER_GYM_OBSERVATION_SPACES)
        self.assertEqual(set(env.observation.spaces.keys()), PASSGYM_OBSERVATION_SPACES)

    def check_metadata(self, env, key, deterministic, platform_dependent):
        space = env.observation.spaces[key]
        self.assertIs(bool(space.deterministic), deterministic)
        self.assertIs(bool(space.platform_dependent), platform_dependent)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_ir_observation_space
    def test_ir_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Ir"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        self.assertIs(space.dtype, str)
        self.assertEqual((space.min_length, space.max_length), (0, None))

        value = env.observation[key]
        self.assertIsInstance(value, str)
        self.assertTrue(space.contains(value))

        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_ir_sha1_observation_space
    def test_ir_sha1_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "IrSha1"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        self.assertIs(space.dtype, str)
        self.assertEqual((space.min_length, space.max_length), (40, 40))

        value = env.observation[key]
        self.assertIsInstance(value, str)
        self.assertEqual(len(value), 40)
        self.assertTrue(space.contains(value))

        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_bitcode_observation_space
    def test_bitcode_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Bitcode"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        # Adapted: PassGym's Bitcode is bytes by design (CompilerGym: an np.int8 array).
        self.assertIs(space.dtype, bytes)
        self.assertEqual((space.min_length, space.max_length), (0, None))

        value = env.observation[key]
        self.assertIsInstance(value, bytes)
        self.assertTrue(space.contains(value))
        self.assertEqual(value[:4], b"BC\xc0\xde")  # LLVM bitcode's magic

        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_bitcode_file_observation_space
    def test_bitcode_file_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "BitcodeFile"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        self.assertIs(space.dtype, str)
        self.check_metadata(env, key, deterministic=False, platform_dependent=False)

        value = env.observation[key]
        try:
            self.assertIsInstance(value, str)
            self.assertTrue(os.path.isfile(value))
            self.assertTrue(space.contains(value))
        finally:
            os.unlink(value)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_bitcode_file_equivalence
    def test_bitcode_file_equivalence(self):
        # Adapted: cbench-v1/gsm (not runnable in CompilerGym's sense, any module does) is NOT_RUNNABLE.
        for benchmark_uri in ["cbench-v1/crc32", "cbench-v1/qsort", NOT_RUNNABLE]:
            with self.subTest(benchmark_uri):
                env = self.make()
                env.reset(benchmark=benchmark_uri)
                # Adapted: PassGym's Bitcode is bytes (CompilerGym: an np.int8 array; .tobytes()).
                bitcode = env.observation["Bitcode"]
                bitcode_file = env.observation["BitcodeFile"]
                try:
                    with open(bitcode_file, "rb") as f:
                        self.assertEqual(bitcode, f.read())
                finally:
                    os.unlink(bitcode_file)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_lexed_ir_observation_space
    def test_lexed_ir_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "LexedIr"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        value = env.observation[key]
        self.assertEqual(len(value), 4)
        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_lexed_ir_tuple_observation_space
    def test_lexed_ir_tuple_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "LexedIrTuple"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        value = env.observation[key]
        # Added: the tuples are CompilerGym's LexedToken(ID, kind, category, value), one per LexedIr token.
        self.assertEqual(len(value), len(env.observation["LexedIr"]["token_id"]))
        self.assertIsInstance(value[0], passgym.LexedToken)
        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_programl_observation_space
    @unittest.skipUnless(passgym.programl.networkx_available(), "needs networkx (Debian python3-networkx)")
    def test_programl_observation_space(self):
        import networkx as nx
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Programl"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        graph = env.observation[key]
        self.assertIsInstance(graph, nx.MultiDiGraph)
        # Adapted: CompilerGym pins cBench crc32's LLVM-10 graph (512 nodes, 907 edges); PassGym's
        # crc32 is its own build, so the counts are those of the same graph as numpy columns.
        columns = env.programl()
        self.assertEqual(graph.number_of_nodes(), len(columns.node_type))
        self.assertEqual(graph.number_of_edges(), len(columns.edge_flow))
        self.assertGreater(graph.number_of_nodes(), 100)
        self.assertEqual(graph.nodes[0], {"block": 0, "function": 0, "text": "[external]", "type": 0})
        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_programl_json_observation_space
    def test_programl_json_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "ProgramlJson"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        graph = env.observation[key]
        self.assertIsInstance(graph, dict)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_cpuinfo_observation_space
    def test_cpuinfo_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "CpuInfo"
        space = env.observation.spaces[key]
        # Adapted: PassGym's CpuInfo is a Sequence of JSON (CompilerGym: a DictSpace of the same keys).
        self.assertIsInstance(space, passgym.Sequence)
        value = env.observation[key]
        self.assertIsInstance(value, dict)
        # Test each expected key, removing it as we go.
        self.assertIsInstance(value.pop("name"), str)
        for k in ["cores_count", "l1i_cache_size", "l1i_cache_count", "l1d_cache_size", "l1d_cache_count",
                  "l2_cache_size", "l2_cache_count", "l3_cache_size", "l3_cache_count", "l4_cache_size",
                  "l4_cache_count"]:
            self.assertIsInstance(value.pop(k), int, k)
        # Anything left in the JSON dictionary now is an unexpected key.
        self.assertFalse(value)

        invalid = "invalid value"
        # Adapted: UNKNOWN_SPACE (a KeyError subclass? no: PassGym's UnknownSpaceError) for CompilerGym's KeyError.
        with self.assertRaises(passgym.UnknownSpaceError):
            _ = env.observation[invalid]
        self.check_metadata(env, key, deterministic=True, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_inst2vec_preprocessed_observation_space
    def test_inst2vec_preprocessed_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Inst2vecPreprocessedText"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        value = env.observation[key]
        self.assertIsInstance(value, list)
        for item in value:
            self.assertIsInstance(item, str)
        unk = env.inst2vec.vocab["!UNK"]
        indices = [env.inst2vec.vocab.get(item, unk) for item in value]
        # Adapted: CompilerGym pins crc32's indices in its own vocabulary; PassGym's vocabulary is
        # its own (passgym.inst2vec), so the indices are those the server computes.
        self.assertEqual(indices, list(env.observation["Inst2vecEmbeddingIndices"]))
        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_inst2vec_embedding_indices_observation_space
    def test_inst2vec_embedding_indices_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Inst2vecEmbeddingIndices"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        value = env.observation[key]
        # Adapted: a numpy int64 array (CompilerGym: a list of int), as PassGym's other int64 sequences.
        self.assertIsInstance(value, np.ndarray)
        self.assertEqual(value.dtype, np.int64)
        self.assertEqual(list(value), env.inst2vec.encode(env.observation["Inst2vecPreprocessedText"]))
        # Added: PassGym's crc32 is held out of the vocabulary's corpus; most statements are known.
        self.assertLess(float(np.mean(value == env.inst2vec.unknown_index)), 0.4)
        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_inst2vec_observation_space
    def test_inst2vec_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Inst2vec"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        value = env.observation[key]
        self.assertIsInstance(value, np.ndarray)
        self.assertEqual(value.dtype, np.float32)
        height, width = value.shape
        self.assertEqual(width, len(env.inst2vec.embeddings[0]))
        indices = env.observation["Inst2vecEmbeddingIndices"]
        self.assertEqual(height, len(indices))
        np.testing.assert_array_almost_equal(value.tolist(), [env.inst2vec.embeddings[idx] for idx in indices])
        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_autophase_observation_space_reset
    def test_autophase_observation_space_reset(self):
        env = self.make()
        env.observation_space = "Autophase"
        observation = env.reset("cbench-v1/crc32")
        # Adapted: CompilerGym pins cBench crc32's LLVM-10 vector; PassGym's crc32 is its own build.
        # The initial observation is the unmodified benchmark's Autophase: its TotalInsts,
        # TotalBlocks and TotalFuncs are those of the module returned by reset.
        self.assertIsInstance(observation, np.ndarray)
        np.testing.assert_array_equal(observation, env.observation["Autophase"])
        self.assertEqual(observation[AUTOPHASE_KEYS.index("TotalInsts")], env.observation["IrInstructionCountO0"])
        self.assertEqual(observation[AUTOPHASE_KEYS.index("TotalBlocks")], env.observation["InstCount"][1])
        self.assertEqual(observation[AUTOPHASE_KEYS.index("TotalFuncs")], function_count(env.observation["Ir"]))

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_instcount_observation_space
    # Expected failure, missing: InstCount's TotalFuncs counts definitions only (7 of crc32's 12 functions); CompilerGym's InstCount visits every function, declarations included, as its Autophase TotalFuncs does
    # and: env.observation.spaces[...] has no deterministic / platform_dependent (the server sends both in GetSpaces; the Python client drops them)
    @unittest.expectedFailure
    def test_instcount_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "InstCount"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Box)
        self.assertEqual(space.dtype, np.int64)
        self.assertEqual(space.shape, (70,))

        value = env.observation[key]
        self.assertEqual(value.dtype, np.int64)
        # The first value is the total number of instructions.
        self.assertEqual(sum(value[3:]), value[0])
        # Adapted: CompilerGym pins cBench crc32's LLVM-10 vector (242, 29, 15, ...); here the
        # totals are checked against the module: TotalInsts, and TotalFuncs counting every
        # function of the module as CompilerGym's InstCount (third_party/llvm/InstCount.cc) does.
        self.assertEqual(value[0], env.observation["IrInstructionCount"])
        self.assertEqual(value[2], function_count(env.observation["Ir"]))

        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_instcount_dict_observation_space
    def test_instcount_dict_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "InstCountDict"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Dict)

        value = env.observation[key]
        self.assertEqual(len(value), 70)

        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_instcount_norm_observation_space
    def test_instcount_norm_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "InstCountNorm"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Box)
        self.assertEqual(space.dtype, np.float32)
        self.assertEqual(space.shape, (69,))

        value = env.observation[key]
        self.assertEqual(value.shape, (69,))
        self.assertEqual(value.dtype, np.float32)
        # The normalized instruction counts sum to 1, the first two features (#blocks and #funcs)
        # excluded. (CompilerGym writes `assert pytest.approx(sum(value[2:]), 1.0)`, always true.)
        self.assertAlmostEqual(float(sum(value[2:])), 1.0, places=5)

        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_autophase_observation_space
    def test_autophase_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Autophase"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Box)

        value = env.observation[key]
        self.assertIsInstance(value, np.ndarray)
        self.assertEqual(value.shape, (56,))
        # Adapted: CompilerGym pins cBench crc32's LLVM-10 vector; see test_autophase_observation_space_reset.
        self.assertEqual(value[AUTOPHASE_KEYS.index("TotalInsts")], env.observation["IrInstructionCount"])
        self.assertEqual(value[AUTOPHASE_KEYS.index("TotalFuncs")], function_count(env.observation["Ir"]))
        self.assertTrue(space.contains(value))

        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_autophase_dict_observation_space
    def test_autophase_dict_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "AutophaseDict"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Dict)
        value = env.observation[key]
        self.assertEqual(len(value), 56)

        self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_ir_instruction_count_observation_spaces
    def test_ir_instruction_count_observation_spaces(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        values = {}
        for key in ("IrInstructionCount", "IrInstructionCountO0", "IrInstructionCountO3", "IrInstructionCountOz"):
            space = env.observation.spaces[key]
            self.assertIsInstance(space, passgym.Box)
            self.assertEqual(space.shape, ())
            values[key] = env.observation[key]
            self.assertIsInstance(values[key], int)
        # Adapted: CompilerGym pins 242, 242, 164, 114 (cBench crc32 on LLVM 10). At reset the
        # count is the -O0 count, and -O3 and -Oz shrink this program as they shrink cBench's.
        self.assertEqual(values["IrInstructionCount"], values["IrInstructionCountO0"])
        self.assertLess(values["IrInstructionCountO3"], values["IrInstructionCountO0"])
        self.assertLess(values["IrInstructionCountOz"], values["IrInstructionCountO3"])

        for key in values:
            self.check_metadata(env, key, deterministic=True, platform_dependent=False)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_object_text_size_observation_spaces
    def test_object_text_size_observation_spaces(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        values = {}
        for key in ("ObjectTextSizeBytes", "ObjectTextSizeO0", "ObjectTextSizeO3", "ObjectTextSizeOz"):
            space = env.observation.spaces[key]
            self.assertIsInstance(space, passgym.Box)
            self.assertEqual(space.shape, ())
            values[key] = env.observation[key]
            self.assertIsInstance(values[key], int)
        # Adapted: CompilerGym pins linux sizes [1183, 3961, 3286] (-O0, -O3, -Oz) of cBench crc32.
        # At reset the size is the -O0 size, and every size is positive.
        self.assertEqual(values["ObjectTextSizeBytes"], values["ObjectTextSizeO0"])
        for key, value in values.items():
            self.assertGreater(value, 0, key)

        for key in values:
            self.check_metadata(env, key, deterministic=True, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_text_size_observation_spaces
    def test_text_size_observation_spaces(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        values = {}
        for key in ("TextSizeBytes", "TextSizeO0", "TextSizeO3", "TextSizeOz"):
            space = env.observation.spaces[key]
            self.assertIsInstance(space, passgym.Box)
            self.assertEqual(space.shape, ())
            values[key] = env.observation[key]
            self.assertIsInstance(values[key], int)
            self.check_metadata(env, key, deterministic=True, platform_dependent=True)
        # As CompilerGym: every size positive (the exact values are system dependent). At reset
        # the size is the -O0 size.
        self.assertEqual(values["TextSizeBytes"], values["TextSizeO0"])
        for key, value in values.items():
            self.assertGreater(value, 0, key)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_instcount_norm_dict_observation_space
    def test_instcount_norm_dict_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "InstCountNormDict"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Dict)
        self.check_metadata(env, key, deterministic=True, platform_dependent=False)
        value = env.observation[key]
        self.assertEqual(len(value), 69)
        # CompilerGym's keys: <Name>Density for every InstCount feature after TotalInsts.
        # (Protobuf maps have no order: compared as sets.)
        names = {k[: -len("Count")] for k in env.observation["InstCountDict"]} - {"TotalInsts"}
        self.assertEqual(set(value), {f"{name}Density" for name in names})
        for name, density in value.items():
            self.assertTrue(0 <= density <= 1, name)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_runtime_observation_space
    def test_runtime_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Runtime"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)

        value = env.observation[key]
        self.assertIsInstance(value, np.ndarray)
        self.assertEqual(env.runtime_observation_count, 1)
        self.assertEqual(value.shape, (1,))
        self.assertTrue(space.contains(value))
        self.assertGreater(value[0], 0)

        self.check_metadata(env, key, deterministic=False, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_runtime_observation_space_different_observation_count
    def test_runtime_observation_space_different_observation_count(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        env.runtime_observation_count = 3
        value = env.observation["Runtime"]
        self.assertEqual(value.shape, (3,))
        self.assertTrue((value > 0).all())
        self.assertEqual(env.runtime_observation_count, 3)

        env.reset()
        value = env.observation["Runtime"]
        self.assertEqual(value.shape, (3,))
        self.assertEqual(env.runtime_observation_count, 3)

        env.runtime_observation_count = 5
        value = env.observation["Runtime"]
        self.assertEqual(value.shape, (5,))
        self.assertEqual(env.runtime_observation_count, 5)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_runtime_observation_space_invalid_observation_count
    def test_runtime_observation_space_invalid_observation_count(self):
        env = self.make()
        env.reset("cbench-v1/crc32")

        val = env.runtime_observation_count
        # Adapted: INVALID_VALUE (by design) for CompilerGym's ValueError.
        with self.assertRaisesRegex(passgym.InvalidValueError, "-5"):
            env.runtime_observation_count = -5
        self.assertEqual(env.runtime_observation_count, val)  # unchanged

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_runtime_observation_space_not_runnable
    def test_runtime_observation_space_not_runnable(self):
        env = self.make()
        env.reset(NOT_RUNNABLE)
        key = "Runtime"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Sequence)
        # Adapted: PassGym raises NOT_RUNNABLE by design (docs/protocol.md); CompilerGym returns None.
        with self.assertRaises(passgym.NotRunnableError):
            env.observation[key]

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_buildtime_observation_space
    def test_buildtime_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "Buildtime"
        space = env.observation.spaces[key]
        # Adapted: one float by design (CompilerGym: a Sequence of one build time).
        self.assertIsInstance(space, passgym.Box)

        value = env.observation[key]
        self.assertIsInstance(value, float)
        self.assertTrue(space.contains(value))
        self.assertGreaterEqual(value, 0)

        self.check_metadata(env, key, deterministic=False, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_buildtime_observation_space_not_runnable
    def test_buildtime_observation_space_not_runnable(self):
        env = self.make()
        env.reset(NOT_RUNNABLE)
        key = "Buildtime"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Box)
        # Adapted: NOT_RUNNABLE by design; CompilerGym returns None.
        with self.assertRaises(passgym.NotRunnableError):
            env.observation[key]

        self.check_metadata(env, key, deterministic=False, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_is_runnable_observation_space
    # Expected failure, different: PassGym declares IsRunnable and IsBuildable platformDependent: false (env/observations.ts); CompilerGym declares them platform dependent
    @unittest.expectedFailure
    def test_is_runnable_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "IsRunnable"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Box)
        self.assertEqual(space.shape, ())
        value = env.observation[key]
        self.assertIsInstance(value, int)
        self.assertEqual(value, 1)

        self.check_metadata(env, key, deterministic=True, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_is_runnable_observation_space_not_runnable
    # Expected failure, different: PassGym declares IsRunnable and IsBuildable platformDependent: false (env/observations.ts); CompilerGym declares them platform dependent
    @unittest.expectedFailure
    def test_is_runnable_observation_space_not_runnable(self):
        env = self.make()
        env.reset(NOT_RUNNABLE)
        key = "IsRunnable"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Box)
        value = env.observation[key]
        self.assertIsInstance(value, int)
        self.assertEqual(value, 0)

        self.check_metadata(env, key, deterministic=True, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_is_buildable_observation_space
    # Expected failure, different: PassGym declares IsRunnable and IsBuildable platformDependent: false (env/observations.ts); CompilerGym declares them platform dependent
    @unittest.expectedFailure
    def test_is_buildable_observation_space(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        key = "IsBuildable"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Box)
        value = env.observation[key]
        self.assertIsInstance(value, int)
        self.assertEqual(value, 1)

        self.check_metadata(env, key, deterministic=True, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_is_buildable_observation_space_not_buildable
    # Expected failure, different: PassGym declares IsRunnable and IsBuildable platformDependent: false (env/observations.ts); CompilerGym declares them platform dependent
    @unittest.expectedFailure
    def test_is_buildable_observation_space_not_buildable(self):
        env = self.make()
        env.reset(NOT_RUNNABLE)
        key = "IsBuildable"
        space = env.observation.spaces[key]
        self.assertIsInstance(space, passgym.Box)
        value = env.observation[key]
        self.assertIsInstance(value, int)
        self.assertEqual(value, 0)

        self.check_metadata(env, key, deterministic=True, platform_dependent=True)

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_add_derived_space
    # Expected failure, missing: no env.observation.add_derived_space() (nor env.observation.NAME() methods)
    @unittest.expectedFailure
    def test_add_derived_space(self):
        env = self.make()
        env.reset()
        env.observation.add_derived_space(
            id="IrLen",
            base_id="Ir",
            space=passgym.Box(shape=(1,), dtype="int64", low=0, high=INF),
            translate=lambda base: [15],
        )

        value = env.observation["IrLen"]
        self.assertIsInstance(value, list)
        self.assertEqual(value, [15])

        # Repeat the above test using the generated bound method.
        value = env.observation.IrLen()
        self.assertIsInstance(value, list)
        self.assertEqual(value, [15])

    # CompilerGym: tests/llvm/observation_spaces_test.py::test_derived_space_constructor
    def test_derived_space_constructor(self):
        with compiler_gym.make("llvm-v0") as env:
            env.observation_space = "AutophaseDict"
            a = env.reset()

        with compiler_gym.make("llvm-v0", observation_space="AutophaseDict") as env:
            b = env.reset()

        self.assertEqual(a, b)


# ---------------------------------------------------------------------------------------------
# tests/llvm/reward_spaces_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class RewardSpacesTest(EnvTestCase):
    # CompilerGym: tests/llvm/reward_spaces_test.py::test_instruction_count_reward
    def test_instruction_count_reward(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        # Adapted: CompilerGym pins crc32's counts (242; 249 after -reg2mem; 164 at -O3; 114 at -Oz);
        # here they are observed. PassGym starts a reward space where it is first named (by design,
        # docs/python.md), CompilerGym from the -O0 cost: the spaces are named at reset, where both agree.
        count = env.observation["IrInstructionCount"]
        count_o3 = env.observation["IrInstructionCountO3"]
        count_oz = env.observation["IrInstructionCountOz"]
        for name in ("IrInstructionCount", "IrInstructionCountNorm", "IrInstructionCountO3", "IrInstructionCountOz"):
            self.assertEqual(env.reward[name], 0)

        env.step(flag(env, "-reg2mem"))
        count_after_reg2mem = env.observation["IrInstructionCount"]
        self.assertNotEqual(count_after_reg2mem, count)

        ic_diff = count - count_after_reg2mem
        self.assertEqual(env.reward["IrInstructionCount"], ic_diff)
        self.assertEqual(env.reward["IrInstructionCountNorm"], ic_diff / count)

        o3_improvement = count - count_o3
        self.assertEqual(env.reward["IrInstructionCountO3"], ic_diff / o3_improvement)

        oz_improvement = count - count_oz
        self.assertEqual(env.reward["IrInstructionCountOz"], ic_diff / oz_improvement)

    # CompilerGym: tests/llvm/reward_spaces_test.py::test_reward_space
    def test_reward_space(self):
        env = self.make()
        env.reward_space = "IrInstructionCount"
        self.assertEqual(env.reward_space.name, "IrInstructionCount")

        env.reward_space = None
        self.assertIsNone(env.reward_space)

        invalid = "invalid value"
        # Adapted: UNKNOWN_SPACE (by design) for CompilerGym's LookupError "Reward space not found".
        with self.assertRaisesRegex(passgym.UnknownSpaceError, f"unknown reward space '{invalid}'"):
            env.reward_space = invalid

    # CompilerGym: tests/llvm/reward_spaces_test.py::test_invalid_reward_space_name
    def test_invalid_reward_space_name(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        invalid = "invalid value"
        # Adapted: UNKNOWN_SPACE (by design) for CompilerGym's KeyError.
        with self.assertRaisesRegex(passgym.UnknownSpaceError, f"'{invalid}'"):
            _ = env.reward[invalid]

    # CompilerGym: tests/llvm/reward_spaces_test.py::test_reward_spaces
    def test_reward_spaces(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        # Adapted: PassGym adds Runtime (by design).
        self.assertEqual(set(env.reward.spaces.keys()), COMPILER_GYM_REWARD_SPACES | {"Runtime"})

    def check_reward_spaces(self, env, platform_dependent):
        for key, threshold in platform_dependent.items():
            space = env.reward.spaces[key]
            self.assertEqual(str(space), key)
            self.assertEqual(env.reward[key], 0)
            # Adapted: every PassGym reward range is (-inf, inf) by design (passgym.env.RewardSpace);
            # CompilerGym declares (-inf, 1.0) for the *Norm spaces.
            self.assertEqual(space.reward_range, (-INF, INF))
            self.assertTrue(space.deterministic)
            self.assertIs(space.platform_dependent, key.startswith(("ObjectTextSize", "TextSize")))
        for key, threshold in platform_dependent.items():
            space = env.reward.spaces[key]
            self.assertEqual(space.success_threshold, threshold)
            self.assertEqual(space.reward_on_error(episode_reward=5), -5)

    # CompilerGym: tests/llvm/reward_spaces_test.py::test_instruction_count_reward_spaces
    # Expected failure, missing: reward spaces have no success_threshold nor reward_on_error()
    @unittest.expectedFailure
    def test_instruction_count_reward_spaces(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        self.check_reward_spaces(env, {"IrInstructionCount": None, "IrInstructionCountNorm": None,
                                       "IrInstructionCountO3": 1, "IrInstructionCountOz": 1})

    # CompilerGym: tests/llvm/reward_spaces_test.py::test_text_size_reward_spaces
    # Expected failure, missing: reward spaces have no success_threshold nor reward_on_error()
    @unittest.expectedFailure
    def test_text_size_reward_spaces(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        self.check_reward_spaces(env, {"TextSizeBytes": None, "TextSizeNorm": None, "TextSizeO3": 1, "TextSizeOz": 1})

    # CompilerGym: tests/llvm/reward_spaces_test.py::test_object_text_size_reward_spaces
    # Expected failure, missing: reward spaces have no success_threshold nor reward_on_error()
    @unittest.expectedFailure
    def test_object_text_size_reward_spaces(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        self.check_reward_spaces(env, {"ObjectTextSizeBytes": None, "ObjectTextSizeNorm": None,
                                       "ObjectTextSizeO3": 1, "ObjectTextSizeOz": 1})


# ---------------------------------------------------------------------------------------------
# tests/llvm/validate_test.py
# ---------------------------------------------------------------------------------------------
CRC32_MAPPED = compiler_gym.map_benchmark("benchmark://cbench-v1/crc32")


@needs_server
class ValidateTest(EnvTestCase):
    # CompilerGym: tests/llvm/validate_test.py::test_validate_state_no_reward
    # Expected failure, missing: validate() does not map a state's cBench-v1 URI (the result is UNKNOWN_BENCHMARK, not ok)
    # and: str(ValidationResult) is the dataclass repr, not CompilerGym's '✅  benchmark  reward' line
    @unittest.expectedFailure
    def test_validate_state_no_reward(self):
        state = CompilerEnvState(
            benchmark="benchmark://cbench-v1/crc32",
            walltime=1,
            commandline="opt  input.bc -o output.bc",
        )
        with compiler_gym.make("llvm-v0") as env:
            result = env.validate(state)

        self.assertTrue(result.okay(), result)
        self.assertFalse(result.reward_validated)
        self.assertEqual(str(result), "✅  cbench-v1/crc32")

    # CompilerGym: tests/llvm/validate_test.py::test_validate_state_with_reward
    # Expected failure, missing: str(ValidationResult) is the dataclass repr, not CompilerGym's '✅  benchmark  reward' line
    @unittest.expectedFailure
    def test_validate_state_with_reward(self):
        # The state names PassGym's crc32 (validate() does not map cBench URIs: see test_validate_state_no_reward).
        state = CompilerEnvState(benchmark=CRC32_MAPPED, walltime=1, reward=0, commandline="opt  input.bc -o output.bc")
        with compiler_gym.make("llvm-v0", reward_space="IrInstructionCount") as env:
            result = env.validate(state)

        self.assertTrue(result.okay(), result)
        self.assertTrue(result.reward_validated)
        self.assertFalse(result.reward_validation_failed)
        self.assertEqual(str(result), "✅  embedded-v0/crc32  0.0000")

    # CompilerGym: tests/llvm/validate_test.py::test_validate_state_invalid_reward
    # Expected failure, missing: str(ValidationResult) is the dataclass repr, not CompilerGym's '❌  benchmark  error' line
    @unittest.expectedFailure
    def test_validate_state_invalid_reward(self):
        state = CompilerEnvState(benchmark=CRC32_MAPPED, walltime=1, reward=1, commandline="opt  input.bc -o output.bc")
        with compiler_gym.make("llvm-v0", reward_space="IrInstructionCount") as env:
            result = env.validate(state)

        self.assertFalse(result.okay())
        self.assertTrue(result.reward_validated)
        self.assertTrue(result.reward_validation_failed)
        self.assertEqual(str(result), "❌  embedded-v0/crc32  Expected reward 1.0 but received reward 0.0")

    # CompilerGym: tests/llvm/validate_test.py::test_validate_state_without_state_reward
    def test_validate_state_without_state_reward(self):
        state = CompilerEnvState(benchmark=CRC32_MAPPED, walltime=1, commandline="opt  input.bc -o output.bc")
        with compiler_gym.make("llvm-v0", reward_space="IrInstructionCount") as env:
            result = env.validate(state)

        self.assertTrue(result.okay(), result)
        self.assertFalse(result.reward_validated)
        self.assertFalse(result.reward_validation_failed)

    # CompilerGym: tests/llvm/validate_test.py::test_validate_state_without_env_reward
    # Expected failure, missing: validate() of a state with a reward on an env without a reward space gives no UserWarning
    @unittest.expectedFailure
    def test_validate_state_without_env_reward(self):
        state = CompilerEnvState(benchmark=CRC32_MAPPED, walltime=1, reward=0, commandline="opt  input.bc -o output.bc")
        with compiler_gym.make("llvm-v0") as env:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = env.validate(state)

        self.assertTrue(result.okay(), result)
        self.assertFalse(result.reward_validated)
        self.assertFalse(result.reward_validation_failed)
        # CompilerGym's pytest.warns(UserWarning, match=...) around validate(), checked last here.
        self.assertTrue(any(issubclass(w.category, UserWarning) and
                            "Validating state with reward, but environment has no reward space set" in str(w.message)
                            for w in caught), [str(w.message) for w in caught])


# ---------------------------------------------------------------------------------------------
# tests/llvm/episode_reward_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class EpisodeRewardTest(EnvTestCase):
    # CompilerGym: tests/llvm/episode_reward_test.py::test_episode_reward_init_zero
    def test_episode_reward_init_zero(self):
        env = self.make()
        env.reward_space = "IrInstructionCount"
        env.reset("cbench-v1/crc32")
        self.assertEqual(env.episode_reward, 0)
        _, reward, _, _ = env.step(env.action_space.index("-mem2reg"))
        self.assertGreater(reward, 0)
        self.assertEqual(env.episode_reward, reward)
        env.reset()
        self.assertEqual(env.episode_reward, 0)

    # CompilerGym: tests/llvm/episode_reward_test.py::test_episode_reward_with_non_default_reward_space
    def test_episode_reward_with_non_default_reward_space(self):
        env = self.make()
        env.reward_space = "IrInstructionCountOz"
        env.reset("cbench-v1/crc32")
        self.assertEqual(env.episode_reward, 0)
        _, rewards, _, _ = env.step(env.action_space.index("-mem2reg"), reward_spaces=["IrInstructionCount"])
        self.assertGreater(rewards[0], 0)
        self.assertEqual(env.episode_reward, 0)


# ---------------------------------------------------------------------------------------------
# tests/llvm/multiprocessing_test.py
# ---------------------------------------------------------------------------------------------
def _process_worker(env_name, benchmark, actions, queue):
    assert actions
    with compiler_gym.make(env_name) as env:
        env.reset(benchmark=benchmark)

        for action in actions:
            observation, reward, done, info = env.step(action)
            assert not done

        queue.put((observation, reward, done, info))


@needs_server
class MultiprocessingTest(EnvTestCase):
    # CompilerGym: tests/llvm/multiprocessing_test.py::test_running_environment_in_background_process
    def test_running_environment_in_background_process(self):
        queue = mp.Queue(maxsize=3)
        process = mp.Process(target=_process_worker, args=("llvm-autophase-ic-v0", "cbench-v1/crc32", [0, 0, 0], queue))
        process.start()
        try:
            process.join(timeout=60)
            result = queue.get(timeout=60)
            observation, reward, done, info = result

            self.assertFalse(done)
            self.assertIsNotNone(observation)
            self.assertIsInstance(reward, float)
            self.assertTrue(info)
        finally:
            process.kill()
            process.join(timeout=60)

    # CompilerGym: tests/llvm/multiprocessing_test.py::test_port_collision_test
    def test_port_collision_test(self):
        with compiler_gym.make("llvm-autophase-ic-v0") as env_a:
            env_a.reset(benchmark="cbench-v1/crc32")
            # CompilerGym's LlvmEnv(service=env_a.service.connection.url): a second env on the same server.
            with compiler_gym.make("llvm-autophase-ic-v0", endpoint=env_a.client.endpoint) as env_b:
                env_b.reset(benchmark="cbench-v1/crc32")


# ---------------------------------------------------------------------------------------------
# tests/llvm/runtime_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class RuntimeTest(EnvTestCase):
    # CompilerGym: tests/llvm/runtime_test.py::test_invalid_runtime_count
    def test_invalid_runtime_count(self):
        env = self.make()
        env.reset()
        # Adapted: INVALID_VALUE (by design) for CompilerGym's ValueError "runtimes_per_observation_count must be >= 1".
        with self.assertRaisesRegex(passgym.InvalidValueError, "runtime_observation_count"):
            env.runtime_observation_count = 0
        with self.assertRaisesRegex(passgym.InvalidValueError, "runtime_observation_count"):
            env.runtime_observation_count = -1

    # CompilerGym: tests/llvm/runtime_test.py::test_runtime_observation_count_before_reset
    def test_runtime_observation_count_before_reset(self):
        env = self.make()
        env.runtime_observation_count = 10
        self.assertEqual(env.runtime_observation_count, 10)
        env.reset()
        self.assertEqual(env.runtime_observation_count, 10)

    # CompilerGym: tests/llvm/runtime_test.py::test_runtime_warmup_runs_count_before_reset
    def test_runtime_warmup_runs_count_before_reset(self):
        env = self.make()
        env.runtime_warmup_runs_count = 10
        self.assertEqual(env.runtime_warmup_runs_count, 10)
        env.reset()
        self.assertEqual(env.runtime_warmup_runs_count, 10)

    # CompilerGym: tests/llvm/runtime_test.py::test_runtime_observation_count_fork
    def test_runtime_observation_count_fork(self):
        env = self.make()
        env.runtime_observation_count = 2
        env.runtime_warmup_runs_count = 1

        with env.fork() as fkd:
            self.assertEqual(fkd.runtime_observation_count, 2)
            self.assertEqual(fkd.runtime_warmup_runs_count, 1)

        env.reset()
        with env.fork() as fkd:
            self.assertEqual(fkd.runtime_observation_count, 2)
            self.assertEqual(fkd.runtime_warmup_runs_count, 1)

    # CompilerGym: tests/llvm/runtime_test.py::test_default_runtime_observation_count_fork
    def test_default_runtime_observation_count_fork(self):
        env = self.make()
        env.reset()
        rc = env.runtime_observation_count
        wc = env.runtime_warmup_runs_count

        with env.fork() as fkd:
            self.assertEqual(fkd.runtime_observation_count, rc)
            self.assertEqual(fkd.runtime_warmup_runs_count, wc)


# ---------------------------------------------------------------------------------------------
# tests/llvm/action_space_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class ActionSpaceTest(EnvTestCase):
    # CompilerGym: tests/llvm/action_space_test.py::test_to_and_from_string_no_actions
    # Expected failure, missing: the action space has no to_string() / from_string() (CompilerGym's Commandline space)
    @unittest.expectedFailure
    def test_to_and_from_string_no_actions(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        # Adapted: the new pass manager's command line by design ("opt-N input.bc -o output.bc").
        self.assertEqual(env.action_space.to_string(env.actions), env.commandline())
        self.assertEqual(env.action_space.from_string(env.action_space.to_string(env.actions)), [])

    # CompilerGym: tests/llvm/action_space_test.py::test_to_and_from_string
    # Expected failure, missing: the action space has no to_string() / from_string() (CompilerGym's Commandline space)
    @unittest.expectedFailure
    def test_to_and_from_string(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        env.step(flag(env, "-mem2reg"))
        env.step(flag(env, "-reg2mem"))
        # Adapted: "opt-N -passes='module(mem2reg,...,reg2mem)' input.bc -o output.bc" by design.
        self.assertEqual(env.action_space.to_string(env.actions), env.commandline())
        self.assertEqual(env.action_space.from_string(env.action_space.to_string(env.actions)),
                         [flag(env, "-mem2reg"), flag(env, "-reg2mem")])


# ---------------------------------------------------------------------------------------------
# tests/llvm/all_actions_single_step_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class AllActionsSingleStepTest(EnvTestCase):
    # CompilerGym: tests/llvm/all_actions_single_step_test.py::test_step
    def test_step(self):
        env = self.make()
        env.reward_space = "IrInstructionCount"
        env.observation_space = "Autophase"
        for action_name in env.action_space.names:  # the action_name fixture
            with self.subTest(action=action_name):
                env.reset(benchmark="cbench-v1/crc32")
                action = env.action_space.index(action_name)
                observation, reward, done, _ = env.step(action)
                self.assertIsInstance(observation, np.ndarray)
                self.assertEqual(observation.shape, (56,))
                self.assertIsInstance(reward, float)
                self.assertIsInstance(done, bool)


# ---------------------------------------------------------------------------------------------
# tests/llvm/autophase_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class AutophaseTest(EnvTestCase):
    # CompilerGym: tests/llvm/autophase_test.py::test_autophase_crc32_feature_vector
    def test_autophase_crc32_feature_vector(self):
        env = self.make()
        env.reset(benchmark="cbench-v1/crc32")
        features = env.observation["AutophaseDict"]
        # Adapted: CompilerGym pins cBench crc32's LLVM-10 features. Here: the same 56 names, the
        # values of the Autophase vector in CompilerGym's order, and the totals of the module.
        self.assertEqual(set(features), set(AUTOPHASE_KEYS))
        self.assertEqual([features[k] for k in AUTOPHASE_KEYS], env.observation["Autophase"].tolist())
        self.assertEqual(features["TotalInsts"], env.observation["IrInstructionCount"])
        self.assertEqual(features["TotalBlocks"], env.observation["InstCountDict"]["TotalBlocksCount"])
        self.assertEqual(features["NumLoadInst"], env.observation["InstCountDict"]["LoadCount"])
        self.assertEqual(features["NumStoreInst"], env.observation["InstCountDict"]["StoreCount"])
        self.assertEqual(features["TotalFuncs"], function_count(env.observation["Ir"]))


# ---------------------------------------------------------------------------------------------
# tests/llvm/fresh_environment_observation_reward_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class FreshEnvironmentObservationRewardTest(EnvTestCase):
    # CompilerGym: tests/llvm/fresh_environment_observation_reward_test.py::test_step
    def test_step(self):
        env = self.make()
        for observation_space in sorted(env.observation.spaces):
            for reward_space in sorted(env.reward.spaces):
                with self.subTest(observation_space=observation_space, reward_space=reward_space):
                    env.reward_space = None
                    env.observation_space = None
                    env.reset(benchmark="cbench-v1/crc32")
                    observation = env.observation[observation_space]
                    self.assertIsNotNone(observation)
                    reward = env.reward[reward_space]
                    self.assertIsNotNone(reward)


# ---------------------------------------------------------------------------------------------
# tests/llvm/gym_interface_compatability_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class GymInterfaceCompatibilityTest(EnvTestCase):
    # CompilerGym: tests/llvm/gym_interface_compatability_test.py::test_optional_properties
    # Expected failure, missing: env.spec is None (no EnvSpec)
    @unittest.expectedFailure
    def test_optional_properties(self):
        env = self.make()
        # Adapted: Gymnasium's "render_modes" key by design (gym's was "render.modes").
        self.assertIn("render_modes", env.metadata)
        self.assertTrue(env.spec)

    # CompilerGym: tests/llvm/gym_interface_compatability_test.py::test_contextmanager
    def test_contextmanager(self):
        env = self.make()
        with mock.patch.object(env, "close", wraps=env.close) as close:
            self.assertEqual(close.call_count, 0)
            with env:
                pass
            self.assertEqual(close.call_count, 1)

    # CompilerGym: tests/llvm/gym_interface_compatability_test.py::test_contextmanager_gym_make
    def test_contextmanager_gym_make(self):
        with compiler_gym.make("llvm-v0") as env:
            with mock.patch.object(env, "close", wraps=env.close) as close:
                self.assertEqual(close.call_count, 0)
                with env:
                    pass
                self.assertEqual(close.call_count, 1)

    # CompilerGym: tests/llvm/gym_interface_compatability_test.py::test_observation_wrapper
    def test_observation_wrapper(self):
        env = self.make()

        # gym.ObservationWrapper: PassGym's (Gymnasium-style) ObservationWrapper of the compat module.
        class WrappedEnv(cg_wrappers.ObservationWrapper):
            def observation(self, observation):
                return "Hello"

        wrapped = WrappedEnv(env)
        observation = wrapped.reset()
        self.assertEqual(observation, "Hello")
        observation, _, _, _ = wrapped.step(0)
        self.assertEqual(observation, "Hello")

    # CompilerGym: tests/llvm/gym_interface_compatability_test.py::test_reward_wrapper
    def test_reward_wrapper(self):
        env = self.make()

        class WrappedEnv(cg_wrappers.RewardWrapper):
            def reward(self, reward):
                return 1

        wrapped = WrappedEnv(env)
        wrapped.reset()
        _, reward, _, _ = wrapped.step(0)
        self.assertEqual(reward, 1)


# ---------------------------------------------------------------------------------------------
# tests/llvm/module_id_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class ModuleIdTest(EnvTestCase):
    # CompilerGym: tests/llvm/module_id_test.py::test_no_module_id_builtin_benchmark
    def test_no_module_id_builtin_benchmark(self):
        env = self.make()
        env.reset("cbench-v1/crc32")
        ir = env.observation["Ir"]
        # Adapted: PassGym sets the module ID and source_filename to the benchmark URI by design
        # (env/llvm/llvm.ts: "so that its IR does not carry the host's paths"); CompilerGym to "-".
        self.assertIn(f"; ModuleID = '{env.benchmark}'\n", ir)
        self.assertIn(f'\nsource_filename = "{env.benchmark}"\n', ir)

    # CompilerGym: tests/llvm/module_id_test.py::test_no_module_id_custom_benchmark
    def test_no_module_id_custom_benchmark(self):
        env = self.make()
        # CompilerGym's make_benchmark("source.c"): an upload of the same source.
        benchmark = env.client.add_benchmark("source.c", b"int A() {return 0;}")
        env.reset(benchmark=benchmark)
        ir = env.observation["Ir"]
        # Adapted: the benchmark URI by design, as in test_no_module_id_builtin_benchmark.
        self.assertIn(f"; ModuleID = '{benchmark}'\n", ir)
        self.assertIn(f'\nsource_filename = "{benchmark}"\n', ir)


# ---------------------------------------------------------------------------------------------
# tests/llvm/threading_test.py
# ---------------------------------------------------------------------------------------------
class ThreadedWorker(threading.Thread):
    def __init__(self, env_name, benchmark, actions):
        super().__init__()
        self.done = False
        self.env_name = env_name
        self.benchmark = benchmark
        self.actions = actions
        assert actions

    def run(self) -> None:
        with compiler_gym.make(self.env_name, benchmark=self.benchmark) as env:
            env.reset()
            for action in self.actions:
                self.observation, self.reward, done, self.info = env.step(action)
                assert not done, self.info["error_details"]
            self.done = True


class ThreadedWorkerWithEnv(threading.Thread):
    def __init__(self, env, actions):
        super().__init__()
        self.done = False
        self.env = env
        self.actions = actions
        assert actions

    def run(self) -> None:
        for action in self.actions:
            self.observation, self.reward, done, self.info = self.env.step(action)
            assert not done, self.info["error_details"]
        self.done = True


@needs_server
class ThreadingTest(EnvTestCase):
    # CompilerGym: tests/llvm/threading_test.py::test_running_environment_in_background_thread
    def test_running_environment_in_background_thread(self):
        thread = ThreadedWorker(env_name="llvm-autophase-ic-v0", benchmark="cbench-v1/crc32", actions=[0, 0, 0])
        thread.start()
        thread.join(timeout=10)
        self.assertTrue(thread.done)
        self.assertIsNotNone(thread.observation)
        self.assertIsInstance(thread.reward, float)
        self.assertTrue(thread.info)

    # CompilerGym: tests/llvm/threading_test.py::test_moving_environment_to_background_thread
    def test_moving_environment_to_background_thread(self):
        with compiler_gym.make("llvm-autophase-ic-v0") as env:
            env.reset(benchmark="cbench-v1/crc32")
            thread = ThreadedWorkerWithEnv(env=env, actions=[0, 0, 0])
            thread.start()
            thread.join(timeout=10)
            self.assertTrue(thread.done)
            self.assertIsNotNone(thread.observation)
            self.assertIsInstance(thread.reward, float)
            self.assertTrue(thread.info)
            self.assertTrue(env.in_episode)


# ---------------------------------------------------------------------------------------------
# tests/compiler_env_state_test.py (no server needed)
# ---------------------------------------------------------------------------------------------
FOO_CSV = "benchmark,reward,walltime,commandline\nbenchmark://cbench-v0/foo,2.0,5.0,-a -b -c\n"
FOO_STATE = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=5, commandline="-a -b -c", reward=2)


class CompilerEnvStateTest(unittest.TestCase):
    # CompilerGym: tests/compiler_env_state_test.py::test_state_from_dict_empty
    def test_state_from_dict_empty(self):
        # Adapted: a dataclass's TypeError (or STATE_FORMAT) for pydantic's ValidationError, by design.
        with self.assertRaises((TypeError, StateFormatError)):
            CompilerEnvState(**{})

    # CompilerGym: tests/compiler_env_state_test.py::test_state_invalid_walltime
    def test_state_invalid_walltime(self):
        # Adapted: STATE_FORMAT (by design) for pydantic's ValidationError. CompilerGym's input has an
        # empty command line, which PassGym rejects first (by design, documented), so the message is
        # checked with a non-empty one.
        with self.assertRaises(StateFormatError):
            CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=-1, reward=1.5, commandline="")
        with self.assertRaisesRegex(StateFormatError, "walltime.*cannot be negative"):
            CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=-1, reward=1.5, commandline="-a")

    # CompilerGym: tests/compiler_env_state_test.py::test_state_to_json_from_dict
    def test_state_to_json_from_dict(self):
        original_state = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=100, reward=1.5,
                                          commandline="-a -b -c")
        state_from_dict = CompilerEnvState(**json.loads(json.dumps(original_state.to_dict())))

        self.assertEqual(state_from_dict.benchmark, "benchmark://cbench-v0/foo")
        self.assertEqual(state_from_dict.walltime, 100)
        self.assertEqual(state_from_dict.reward, 1.5)
        self.assertEqual(state_from_dict.commandline, "-a -b -c")

    # CompilerGym: tests/compiler_env_state_test.py::test_state_to_json_from_dict_no_reward
    def test_state_to_json_from_dict_no_reward(self):
        original_state = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=100, commandline="-a -b -c")
        state_from_dict = CompilerEnvState(**json.loads(json.dumps(original_state.to_dict())))

        self.assertEqual(state_from_dict.benchmark, "benchmark://cbench-v0/foo")
        self.assertEqual(state_from_dict.walltime, 100)
        self.assertIsNone(state_from_dict.reward)
        self.assertEqual(state_from_dict.commandline, "-a -b -c")

    # CompilerGym: tests/compiler_env_state_test.py::test_state_equality_different_types
    def test_state_equality_different_types(self):
        state = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=10, commandline="-a -b -c")
        self.assertFalse(state == 5)
        self.assertTrue(state != 5)

    # CompilerGym: tests/compiler_env_state_test.py::test_state_equality_same
    def test_state_equality_same(self):
        a = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=10, commandline="-a -b -c")
        b = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=10, commandline="-a -b -c")
        self.assertTrue(a == b)
        self.assertFalse(a != b)

    # CompilerGym: tests/compiler_env_state_test.py::test_state_equality_differnt_walltime
    def test_state_equality_differnt_walltime(self):
        a = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=10, commandline="-a -b -c")
        b = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=5, commandline="-a -b -c")
        self.assertTrue(a == b)
        self.assertFalse(a != b)

    # CompilerGym: tests/compiler_env_state_test.py::test_state_equality_one_sided_reward
    def test_state_equality_one_sided_reward(self):
        a = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=5, commandline="-a -b -c", reward=2)
        b = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=5, commandline="-a -b -c")
        self.assertTrue(a == b)
        self.assertTrue(b == a)
        self.assertFalse(a != b)
        self.assertFalse(b != a)

    # CompilerGym: tests/compiler_env_state_test.py::test_state_equality_equal_reward
    def test_state_equality_equal_reward(self):
        a = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=5, commandline="-a -b -c", reward=2)
        b = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=5, commandline="-a -b -c", reward=2)
        self.assertTrue(a == b)
        self.assertTrue(b == a)
        self.assertFalse(a != b)
        self.assertFalse(b != a)

    # CompilerGym: tests/compiler_env_state_test.py::test_state_equality_unequal_reward
    def test_state_equality_unequal_reward(self):
        a = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=5, commandline="-a -b -c", reward=2)
        b = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=5, commandline="-a -b -c", reward=3)
        self.assertFalse(a == b)
        self.assertFalse(b == a)
        self.assertTrue(a != b)
        self.assertTrue(b != a)

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_writer
    def test_compiler_env_state_writer(self):
        buf = io.StringIO()
        writer = CompilerEnvStateWriter(buf)
        writer.write_state(FOO_STATE, flush=True)
        self.assertEqual(buf.getvalue(), FOO_CSV)

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_writer_no_header
    def test_compiler_env_state_writer_no_header(self):
        buf = io.StringIO()
        writer = CompilerEnvStateWriter(buf, header=False)
        writer.write_state(FOO_STATE, flush=True)
        self.assertEqual(buf.getvalue(), "benchmark://cbench-v0/foo,2.0,5.0,-a -b -c\n")

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_writer_with_statement
    def test_compiler_env_state_writer_with_statement(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "results.csv"
            self.assertFalse(path.is_file())  # Sanity check.
            for flush in range(1):  # CompilerGym's parametrize("flush", range(1))
                f = open(path, "w")
                with CompilerEnvStateWriter(f) as writer:
                    writer.write_state(FOO_STATE, flush=flush)
                self.assertTrue(f.closed)
                with open(path) as f:
                    self.assertEqual(f.read(), FOO_CSV)

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_reader
    def test_compiler_env_state_reader(self):
        reader = CompilerEnvStateReader(io.StringIO(FOO_CSV))
        self.assertEqual(list(reader), [FOO_STATE])

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_reader_no_header
    def test_compiler_env_state_reader_no_header(self):
        reader = CompilerEnvStateReader(io.StringIO("benchmark://cbench-v0/foo,2.0,5.0,-a -b -c\n"))
        self.assertEqual(list(reader), [FOO_STATE])

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_reader_with_header
    def test_compiler_env_state_reader_with_header(self):
        reader = CompilerEnvStateReader(io.StringIO(FOO_CSV))
        self.assertEqual(list(reader), [FOO_STATE])

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_reader_with_header_out_of_order_columns
    def test_compiler_env_state_reader_with_header_out_of_order_columns(self):
        reader = CompilerEnvStateReader(io.StringIO("commandline,reward,benchmark,walltime\n"
                                                    "-a -b -c,2.0,benchmark://cbench-v0/foo,5.0\n"))
        self.assertEqual(list(reader), [FOO_STATE])

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_reader_empty_input
    def test_compiler_env_state_reader_empty_input(self):
        self.assertEqual(list(CompilerEnvStateReader(io.StringIO(""))), [])

    # CompilerGym: tests/compiler_env_state_test.py::test_compiler_env_state_reader_header_only
    def test_compiler_env_state_reader_header_only(self):
        self.assertEqual(list(CompilerEnvStateReader(io.StringIO("benchmark,reward,walltime,commandline\n"))), [])

    # CompilerGym: tests/compiler_env_state_test.py::test_state_from_csv_invalid_format
    def test_state_from_csv_invalid_format(self):
        reader = CompilerEnvStateReader(io.StringIO("abcdef\n"))
        # Adapted: STATE_FORMAT (by design) for ValueError "Expected 4 columns in the first row of CSV: ['abcdef']".
        with self.assertRaisesRegex(StateFormatError, "expected 4"):
            next(iter(reader))

    # CompilerGym: tests/compiler_env_state_test.py::test_state_serialize_deserialize_equality
    def test_state_serialize_deserialize_equality(self):
        original_state = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=100, reward=1.5,
                                          commandline="-a -b -c")
        buf = io.StringIO()
        CompilerEnvStateWriter(buf).write_state(original_state)
        buf.seek(0)
        state_from_csv = next(iter(CompilerEnvStateReader(buf)))

        self.assertEqual(state_from_csv.benchmark, "benchmark://cbench-v0/foo")
        self.assertEqual(state_from_csv.walltime, 100)
        self.assertEqual(state_from_csv.reward, 1.5)
        self.assertEqual(state_from_csv.commandline, "-a -b -c")

    # CompilerGym: tests/compiler_env_state_test.py::test_state_serialize_deserialize_equality_no_reward
    def test_state_serialize_deserialize_equality_no_reward(self):
        original_state = CompilerEnvState(benchmark="benchmark://cbench-v0/foo", walltime=100, commandline="-a -b -c")
        buf = io.StringIO()
        CompilerEnvStateWriter(buf).write_state(original_state)
        buf.seek(0)
        state_from_csv = next(iter(CompilerEnvStateReader(buf)))

        self.assertEqual(state_from_csv.benchmark, "benchmark://cbench-v0/foo")
        self.assertEqual(state_from_csv.walltime, 100)
        self.assertIsNone(state_from_csv.reward)
        self.assertEqual(state_from_csv.commandline, "-a -b -c")

    # CompilerGym: tests/compiler_env_state_test.py::test_read_paths_stdin
    def test_read_paths_stdin(self):
        with mock.patch("sys.stdin", io.StringIO(FOO_CSV)):
            reader = CompilerEnvStateReader.read_paths(["-"])
            self.assertEqual(list(reader), [FOO_STATE])

    # CompilerGym: tests/compiler_env_state_test.py::test_read_paths_file
    def test_read_paths_file(self):
        with tempfile.TemporaryDirectory() as tmp_path:
            file_dir = f"{tmp_path}/test.csv"
            with open(file_dir, "w") as csv_file:
                csv_file.write(FOO_CSV)
            reader = CompilerEnvStateReader.read_paths([file_dir])
            self.assertEqual(list(reader), [FOO_STATE])

    # CompilerGym: tests/compiler_env_state_test.py::test_read_paths_url
    def test_read_paths_url(self):
        urls = ["https://compilergym.ai/benchmarktest.csv"]
        # Adapted: PassGym downloads with urllib (by design), so urlopen is mocked where CompilerGym
        # mocks requests.get; a 404 is urllib's HTTPError where CompilerGym raises requests' InvalidURL.
        response = mock.MagicMock()
        response.__enter__.return_value.read.return_value = FOO_CSV.encode()
        with mock.patch("urllib.request.urlopen", return_value=response):
            reader = CompilerEnvStateReader.read_paths(urls)
            self.assertEqual(list(reader), [FOO_STATE])

        not_found = urllib.error.HTTPError(urls[0], 404, "Not Found", {}, None)
        with mock.patch("urllib.request.urlopen", side_effect=not_found):
            with self.assertRaises(urllib.error.HTTPError):
                reader = CompilerEnvStateReader.read_paths(urls)
                list(reader)

    # CompilerGym: tests/compiler_env_state_test.py::test_read_paths_bad_inputs
    def test_read_paths_bad_inputs(self):
        bad_dirs = [
            "/fake/directory/file.csv",
            "fake/directory/file.csv",
            "https://www.compilergym.ai/benchmark",
            "htts://www.compilergym.ai/benchmark.csv",
            "htts://www.compilergym.ai/benchmark",
        ]
        with self.assertRaises(FileNotFoundError):
            reader = CompilerEnvStateReader.read_paths(bad_dirs)
            list(reader)


# ---------------------------------------------------------------------------------------------
# tests/wrappers/commandline_wrappers_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class CommandlineWrappersTest(EnvTestCase):
    # CompilerGym: tests/wrappers/commandline_wrappers_test.py::test_commandline_with_terminal_action
    # Expected failure, missing: the terminal action's step has no info['terminal_action']
    @unittest.expectedFailure
    def test_commandline_with_terminal_action(self):
        env = self.make()
        mem2reg_unwrapped_index = env.action_space.index("-mem2reg")

        env = cg_wrappers.CommandlineWithTerminalAction(env)

        mem2reg_index = env.action_space.index("-mem2reg")
        reg2mem_index = env.action_space.index("-reg2mem")

        self.assertEqual(mem2reg_index, mem2reg_unwrapped_index)

        env.reset()
        _, _, done, info = env.step(mem2reg_index)
        self.assertFalse(done, info)
        _, _, done, info = env.multistep([reg2mem_index, reg2mem_index])
        self.assertFalse(done, info)

        self.assertEqual(env.actions, [mem2reg_index, reg2mem_index, reg2mem_index])

        _, _, done, info = env.step(len(env.action_space.flags) - 1)
        self.assertTrue(done)
        self.assertIn("terminal_action", info)

    # CompilerGym: tests/wrappers/commandline_wrappers_test.py::test_commandline_with_terminal_action_fork
    # Expected failure, missing: fork() before reset() raises EPISODE_STATE; CompilerGym's fork() starts the episode (reset) first
    @unittest.expectedFailure
    def test_commandline_with_terminal_action_fork(self):
        env = cg_wrappers.CommandlineWithTerminalAction(self.make())
        self.assertNotEqual(env.unwrapped.action_space, env.action_space)  # Sanity check.
        with env.fork() as fkd:
            self.assertEqual(fkd.action_space, env.action_space)

            _, _, done, _ = env.step(len(env.action_space.flags) - 1)
            self.assertTrue(done)

            _, _, done, _ = fkd.step(len(env.action_space.flags) - 1)
            self.assertTrue(done)

    # CompilerGym: tests/wrappers/commandline_wrappers_test.py::test_constrained_action_space
    def test_constrained_action_space(self):
        env = self.make()
        mem2reg_index = env.action_space.index("-mem2reg")
        reg2mem_index = env.action_space.index("-reg2mem")

        env = cg_wrappers.ConstrainedCommandline(env=env, flags=["-mem2reg", "-reg2mem"])

        self.assertEqual(env.action_space.n, 2)
        self.assertEqual(env.action_space.flags, ["-mem2reg", "-reg2mem"])

        self.assertEqual(env.action(0), mem2reg_index)
        self.assertEqual(env.action([0, 1]), [mem2reg_index, reg2mem_index])

        env.reset()
        env.step(0)
        env.multistep([1, 1])

        self.assertEqual(env.actions, [0, 1, 1])

    # CompilerGym: tests/wrappers/commandline_wrappers_test.py::test_constrained_action_space_fork
    def test_constrained_action_space_fork(self):
        env = self.make()
        mem2reg_index = env.action_space.index("-mem2reg")
        reg2mem_index = env.action_space.index("-reg2mem")

        env = cg_wrappers.ConstrainedCommandline(env=env, flags=["-mem2reg", "-reg2mem"])

        fkd = env.fork()
        try:
            self.assertEqual(fkd.action_space.n, 2)
            self.assertEqual(fkd.action_space.flags, ["-mem2reg", "-reg2mem"])

            self.assertEqual(fkd.action(0), mem2reg_index)
            self.assertEqual(fkd.action([0, 1]), [mem2reg_index, reg2mem_index])

            fkd.reset()
            fkd.step(0)
            fkd.multistep([1, 1])

            self.assertEqual(fkd.actions, [0, 1, 1])
        finally:
            fkd.close()


# ---------------------------------------------------------------------------------------------
# tests/wrappers/core_wrappers_test.py
# ---------------------------------------------------------------------------------------------
def core_wrapper_types():
    """CompilerGym's wrapper_type fixture: ActionWrapper, CompilerEnvWrapper, and pass-through
    subclasses of ObservationWrapper and RewardWrapper (defined here, as CompilerGym defines them
    at module level, so that a failure to subclass fails the tests, not the import)."""

    class ObservationWrapper(cg_wrappers.ObservationWrapper):
        def __init__(self, env):
            super().__init__(env)

        def observation(self, observation):
            return observation

    class RewardWrapper(cg_wrappers.RewardWrapper):
        def __init__(self, env):
            super().__init__(env)

        def reward(self, reward):
            return reward

    return [cg_wrappers.ActionWrapper, cg_wrappers.Wrapper, ObservationWrapper, RewardWrapper]


@needs_server
class CoreWrappersTest(EnvTestCase):
    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_close
    def test_wrapped_close(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                env = wrapper_type(self.make())
                env.close()
                self.closed(env)

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_properties
    def test_wrapped_properties(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                with wrapper_type(self.make()) as env:
                    self.assertEqual(env.actions, [])
                    self.assertTrue(env.benchmark)
                    # CompilerGym also checks isinstance(env.datasets, Datasets): no datasets API by design.

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_fork_type
    def test_wrapped_fork_type(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                env = wrapper_type(self.make())
                fkd = env.fork()
                try:
                    self.assertIsInstance(fkd, wrapper_type)
                finally:
                    fkd.close()

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_fork_subtype
    def test_wrapped_fork_subtype(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                class MyWrapper(wrapper_type):
                    def __init__(self, env):
                        super().__init__(env)

                env = MyWrapper(self.make())
                fkd = env.fork()
                try:
                    self.assertIsInstance(fkd, MyWrapper)
                finally:
                    fkd.close()

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_fork_subtype_custom_constructor
    def test_wrapped_fork_subtype_custom_constructor(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                class MyWrapper(wrapper_type):
                    def __init__(self, env, foo):
                        super().__init__(env)
                        self.foo = foo

                    def fork(self):
                        return MyWrapper(self.env.fork(), foo=self.foo)

                env = MyWrapper(self.make(), foo=1)
                fkd = env.fork()
                try:
                    self.assertIsInstance(fkd, MyWrapper)
                    self.assertEqual(fkd.foo, 1)
                finally:
                    fkd.close()

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_step_multi_step
    def test_wrapped_step_multi_step(self):
        env = cg_wrappers.Wrapper(self.make())
        env.reset()
        env.multistep([0, 0, 0])
        self.assertEqual(env.actions, [0, 0, 0])

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_step_custom_args
    def test_wrapped_step_custom_args(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                class MyWrapper(wrapper_type):
                    def observation(self, observation):
                        return observation

                    def action(self, action):
                        return action

                    def reward(self, reward):
                        return reward

                env = MyWrapper(self.make())
                env.reset()
                (ir, ic), (icr, icroz), _, _ = env.multistep(
                    actions=[0, 0, 0],
                    observation_spaces=["Ir", "IrInstructionCount"],
                    reward_spaces=["IrInstructionCount", "IrInstructionCountOz"],
                )
                self.assertIsInstance(ir, str)
                self.assertIsInstance(ic, int)
                self.assertIsInstance(icr, float)
                self.assertIsInstance(icroz, float)
                self.assertTrue(env.unwrapped.observation.spaces["Ir"].contains(ir))
                self.assertTrue(env.unwrapped.observation.spaces["IrInstructionCount"].contains(ic))

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_benchmark
    def test_wrapped_benchmark(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                class MyWrapper(wrapper_type):
                    def observation(self, observation):
                        return observation

                env = self.make()
                env.observation_space = "Ir"
                env = MyWrapper(env)

                ir_a = env.reset(benchmark="benchmark://cbench-v1/dijkstra")
                self.assertEqual(env.benchmark, compiler_gym.map_benchmark("benchmark://cbench-v1/dijkstra"))

                ir_b = env.reset(benchmark="benchmark://cbench-v1/qsort")
                self.assertEqual(env.benchmark, compiler_gym.map_benchmark("benchmark://cbench-v1/qsort"))

                self.assertNotEqual(ir_a, ir_b)

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_set_benchmark
    def test_wrapped_set_benchmark(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                class MyWrapper(wrapper_type):
                    def observation(self, observation):
                        return observation

                env = MyWrapper(self.make())

                env.benchmark = "benchmark://cbench-v1/dijkstra"
                env.reset()
                self.assertEqual(env.benchmark, compiler_gym.map_benchmark("benchmark://cbench-v1/dijkstra"))

                with self.assertWarnsRegex(UserWarning, r"Changing the benchmark has no effect until reset\(\) is called"):
                    env.benchmark = "benchmark://cbench-v1/crc32"
                env.reset()
                self.assertEqual(env.benchmark, compiler_gym.map_benchmark("benchmark://cbench-v1/crc32"))

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_env_in_episode
    def test_wrapped_env_in_episode(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                class MyWrapper(wrapper_type):
                    def observation(self, observation):
                        return observation

                env = MyWrapper(self.make())
                self.assertFalse(env.in_episode)

                env.reset()
                self.assertTrue(env.in_episode)

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_env_changes_default_spaces
    def test_wrapped_env_changes_default_spaces(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                class MyWrapper(wrapper_type):
                    def __init__(self, env):
                        super().__init__(env)
                        self.env.observation_space = "Autophase"
                        self.env.reward_space = "IrInstructionCount"

                    def observation(self, observation):
                        return observation

                env = MyWrapper(self.make())
                self.assertEqual(env.observation_space.shape, (56,))
                self.assertEqual(env.observation_space.id, "Autophase")
                self.assertEqual(env.reward_space.name, "IrInstructionCount")

                observation = env.reset()
                self.assertTrue(env.observation_space.contains(observation))

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_env_change_spaces
    def test_wrapped_env_change_spaces(self):
        for wrapper_type in core_wrapper_types():
            with self.subTest(wrapper_type=wrapper_type.__name__):
                class MyWrapper(wrapper_type):
                    def observation(self, observation):
                        return observation

                    def reward(self, reward):
                        return reward

                env = MyWrapper(self.make())

                env.observation_space = "Autophase"
                env.reward_space = "IrInstructionCount"

                self.assertEqual(env.observation_space.shape, (56,))
                self.assertEqual(env.observation_space.id, "Autophase")
                self.assertEqual(env.reward_space.name, "IrInstructionCount")

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_action
    def test_wrapped_action(self):
        class MyWrapper(cg_wrappers.ActionWrapper):
            def action(self, action):
                return action - 1

            def reverse_action(self, action):
                return action + 1

        env = MyWrapper(self.make())
        with mock.patch.object(env, "action", wraps=env.action) as spy:
            env.reset()
            env.step(1)
            env.step(2)

            self.assertEqual(spy.call_count, 2)
            self.assertEqual(env.actions, [0, 1])

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_observation
    def test_wrapped_observation(self):
        class MyWrapper(cg_wrappers.ObservationWrapper):
            def __init__(self, env):
                super().__init__(env)
                self.observation_space = "Ir"

            def observation(self, observation):
                return len(observation)

        env = MyWrapper(self.make())

        self.assertGreater(env.reset(), 0)
        observation, _, _, _ = env.step(0)
        self.assertGreater(observation, 0)

    def test_wrapped_observation_missing_definition(self):
        with self.assertRaises(TypeError):
            cg_wrappers.ObservationWrapper(self.make())

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_reward
    def test_wrapped_reward(self):
        class MyWrapper(core_wrapper_types()[3]):
            def reward(self, reward):
                return -5

        env = self.make()
        env.reward_space = "IrInstructionCount"
        env = MyWrapper(env)

        env.reset()
        _, reward, _, _ = env.step(0)
        self.assertEqual(reward, -5)
        self.assertEqual(env.episode_reward, -5)

        _, reward, _, _ = env.step(0)
        self.assertEqual(reward, -5)
        self.assertEqual(env.episode_reward, -10)

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_env_close
    def test_wrapped_env_close(self):
        wrapped = cg_wrappers.Wrapper(self.make())
        wrapped.reset()
        self.assertTrue(wrapped.in_episode)  # for `wrapped.service is not None`
        wrapped.close()
        self.closed(wrapped)  # for `wrapped.service is None`

    # CompilerGym: tests/wrappers/core_wrappers_test.py::test_wrapped_env_custom_close
    def test_wrapped_env_custom_close(self):
        class MyWrapper(cg_wrappers.Wrapper):
            def __init__(self, env):
                super().__init__(env)
                self.custom_close = False

            def close(self):
                self.custom_close = True
                self.env.close()

        env = MyWrapper(self.make())
        self.assertFalse(env.custom_close)

        env.close()
        self.assertTrue(env.custom_close)


# ---------------------------------------------------------------------------------------------
# tests/wrappers/counter_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class CounterTest(EnvTestCase):
    # CompilerGym: tests/wrappers/counter_test.py::test_Counter_reset
    def test_Counter_reset(self):
        with cg_wrappers.Counter(self.make()) as env:
            env.reset()
            self.assertEqual(env.counters, {"close": 0, "fork": 0, "reset": 1, "step": 0})
            env.reset()
            self.assertEqual(env.counters, {"close": 0, "fork": 0, "reset": 2, "step": 0})

    # CompilerGym: tests/wrappers/counter_test.py::test_Counter_step
    def test_Counter_step(self):
        with cg_wrappers.Counter(self.make()) as env:
            env.reset()
            env.step(0)
            self.assertEqual(env.counters, {"close": 0, "fork": 0, "reset": 1, "step": 1})

    # CompilerGym: tests/wrappers/counter_test.py::test_Counter_double_close
    def test_Counter_double_close(self):
        with cg_wrappers.Counter(self.make()) as env:
            env.close()
            env.close()
            self.assertEqual(env.counters, {"close": 2, "fork": 0, "reset": 0, "step": 0})

        # Implicit close in `with` statement.
        self.assertEqual(env.counters, {"close": 3, "fork": 0, "reset": 0, "step": 0})


# ---------------------------------------------------------------------------------------------
# tests/wrappers/datasets_wrappers_test.py
# ---------------------------------------------------------------------------------------------
CRC32, QSORT, DIJKSTRA, ADPCM = (f"benchmark://cbench-v1/{n}" for n in ("crc32", "qsort", "dijkstra", "adpcm"))
mapped = compiler_gym.map_benchmark  # env.benchmark names PassGym's program (renamed by design)


@needs_server
class DatasetsWrappersTest(EnvTestCase):
    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_iterate_over_benchmarks
    def test_iterate_over_benchmarks(self):
        env = cg_wrappers.IterateOverBenchmarks(env=self.make(), benchmarks=[CRC32, QSORT, DIJKSTRA])

        env.reset()
        self.assertEqual(env.benchmark, mapped(CRC32))
        env.reset()
        self.assertEqual(env.benchmark, mapped(QSORT))
        env.reset()
        self.assertEqual(env.benchmark, mapped(DIJKSTRA))

        with self.assertRaises(StopIteration):
            env.reset()

    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_iterate_over_benchmarks_fork
    def test_iterate_over_benchmarks_fork(self):
        env = cg_wrappers.IterateOverBenchmarks(env=self.make(), benchmarks=[CRC32, QSORT, DIJKSTRA])

        env.reset()
        self.assertEqual(env.benchmark, mapped(CRC32))

        fkd = env.fork()
        try:
            env.reset()
            self.assertEqual(env.benchmark, mapped(QSORT))
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(QSORT))

            env.reset()
            self.assertEqual(env.benchmark, mapped(DIJKSTRA))
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(DIJKSTRA))
        finally:
            fkd.close()

    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_iterate_over_benchmarks_fork_shared_iterator
    # Expected failure, missing: IterateOverBenchmarks has no fork_shares_iterator argument
    @unittest.expectedFailure
    def test_iterate_over_benchmarks_fork_shared_iterator(self):
        env = cg_wrappers.IterateOverBenchmarks(env=self.make(), benchmarks=[CRC32, QSORT, DIJKSTRA],
                                                fork_shares_iterator=True)

        env.reset()
        self.assertEqual(env.benchmark, mapped(CRC32))

        fkd = env.fork()
        try:
            env.reset()
            self.assertEqual(env.benchmark, mapped(QSORT))
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(DIJKSTRA))
        finally:
            fkd.close()

    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_cycle_over_benchmarks
    def test_cycle_over_benchmarks(self):
        env = cg_wrappers.CycleOverBenchmarks(env=self.make(), benchmarks=[CRC32, QSORT])

        for expected in (CRC32, QSORT, CRC32, QSORT, CRC32):
            env.reset()
            self.assertEqual(env.benchmark, mapped(expected))

    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_cycle_over_benchmarks_fork
    def test_cycle_over_benchmarks_fork(self):
        env = cg_wrappers.CycleOverBenchmarks(env=self.make(), benchmarks=[CRC32, QSORT])

        fkd = env.fork()
        env.reset()
        self.assertEqual(env.benchmark, mapped(CRC32))
        try:
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(CRC32))

            env.reset()
            self.assertEqual(env.benchmark, mapped(QSORT))
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(QSORT))

            env.reset()
            self.assertEqual(env.benchmark, mapped(CRC32))
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(CRC32))
        finally:
            fkd.close()

    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_cycle_over_benchmarks_fork_shared_iterator
    # Expected failure, missing: CycleOverBenchmarks has no fork_shares_iterator argument
    # and: fork() before reset() raises EPISODE_STATE; CompilerGym's fork() starts the episode (reset) first
    @unittest.expectedFailure
    def test_cycle_over_benchmarks_fork_shared_iterator(self):
        env = cg_wrappers.CycleOverBenchmarks(env=self.make(), benchmarks=[CRC32, QSORT, DIJKSTRA],
                                              fork_shares_iterator=True)

        fkd = env.fork()
        env.reset()
        self.assertEqual(env.benchmark, mapped(CRC32))
        try:
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(QSORT))
            env.reset()
            self.assertEqual(env.benchmark, mapped(DIJKSTRA))
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(CRC32))
        finally:
            fkd.close()

    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_cycle_over_benchmarks_iterator
    # Expected failure, missing: no CycleOverBenchmarksIterator wrapper
    @unittest.expectedFailure
    def test_cycle_over_benchmarks_iterator(self):
        env = cg_wrappers.CycleOverBenchmarksIterator(
            self.make(), make_benchmark_iterator=lambda: (DIJKSTRA, QSORT, ADPCM))

        for expected in (DIJKSTRA, QSORT, ADPCM, DIJKSTRA, QSORT):
            env.reset()
            self.assertEqual(env.benchmark, mapped(expected))

        with env.fork() as fkd:
            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(DIJKSTRA))

            fkd.reset()
            self.assertEqual(fkd.benchmark, mapped(QSORT))
            self.assertEqual(env.benchmark, mapped(QSORT))

            env.reset()
            self.assertEqual(fkd.benchmark, mapped(QSORT))
            self.assertEqual(env.benchmark, mapped(ADPCM))

    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_random_order_benchmarks
    def test_random_order_benchmarks(self):
        env = cg_wrappers.RandomOrderBenchmarks(env=self.make(), benchmarks=[CRC32, QSORT])
        for _ in range(3):
            env.reset()
            self.assertIn(env.benchmark, {mapped(CRC32), mapped(QSORT)})

    # CompilerGym: tests/wrappers/datasets_wrappers_test.py::test_random_order_benchmarks_fork
    def test_random_order_benchmarks_fork(self):
        env = cg_wrappers.RandomOrderBenchmarks(env=self.make(), benchmarks=[CRC32, QSORT])
        env.reset()
        self.assertIn(env.benchmark, {mapped(CRC32), mapped(QSORT)})
        fkd = env.fork()
        try:
            fkd.reset()
            env.reset()
        finally:
            fkd.close()


# ---------------------------------------------------------------------------------------------
# tests/wrappers/fork_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class ForkOnStepTest(EnvTestCase):
    # CompilerGym: tests/wrappers/fork_test.py::test_ForkOnStep_step
    def test_ForkOnStep_step(self):
        with cg_wrappers.ForkOnStep(self.make()) as env:
            env.reset()
            self.assertEqual(env.stack, [])

            env.step(0)
            self.assertEqual(env.actions, [0])
            self.assertEqual(len(env.stack), 1)
            self.assertEqual(env.stack[0].actions, [])

            env.step(1)
            self.assertEqual(env.actions, [0, 1])
            self.assertEqual(len(env.stack), 2)
            self.assertEqual(env.stack[1].actions, [0])
            self.assertEqual(env.stack[0].actions, [])

    # CompilerGym: tests/wrappers/fork_test.py::test_ForkOnStep_reset
    def test_ForkOnStep_reset(self):
        with cg_wrappers.ForkOnStep(self.make()) as env:
            env.reset()

            env.step(0)
            self.assertEqual(env.actions, [0])
            self.assertEqual(len(env.stack), 1)

            env.reset()
            self.assertEqual(env.actions, [])
            self.assertEqual(env.stack, [])

    # CompilerGym: tests/wrappers/fork_test.py::test_ForkOnStep_double_close
    def test_ForkOnStep_double_close(self):
        with cg_wrappers.ForkOnStep(self.make()) as env:
            env.close()
            env.close()

    # CompilerGym: tests/wrappers/fork_test.py::test_ForkOnStep_undo
    def test_ForkOnStep_undo(self):
        with cg_wrappers.ForkOnStep(self.make()) as env:
            env.reset()

            env.step(0)
            self.assertEqual(env.actions, [0])
            self.assertEqual(len(env.stack), 1)

            env.undo()
            self.assertEqual(env.actions, [])
            self.assertFalse(env.stack)

            # Undo of an empty stack. Adapted: IndexError by design (passgym.wrappers.ForkOnStep.undo);
            # CompilerGym returns silently.
            with self.assertRaises(IndexError):
                env.undo()
            self.assertEqual(env.actions, [])
            self.assertFalse(env.stack)


# ---------------------------------------------------------------------------------------------
# tests/wrappers/llvm_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class LlvmWrappersTest(EnvTestCase):
    # CompilerGym: tests/wrappers/llvm_test.py::test_invalid_runtime_count
    def test_invalid_runtime_count(self):
        # Adapted: INVALID_VALUE (by design) for ValueError, raised by the constructor (CompilerGym: by reset()).
        with self.assertRaisesRegex(passgym.InvalidValueError, "runtime_observation_count.*-10"):
            env = cg_wrappers.RuntimePointEstimateReward(self.make(), runtime_count=-10)
            env.reset()

    # CompilerGym: tests/wrappers/llvm_test.py::test_invalid_warmup_count
    def test_invalid_warmup_count(self):
        with self.assertRaisesRegex(passgym.InvalidValueError, "runtime_warmup_runs_count.*-10"):
            env = cg_wrappers.RuntimePointEstimateReward(self.make(), warmup_count=-10)
            env.reset()

    # CompilerGym: tests/wrappers/llvm_test.py::test_reward_range
    def test_reward_range(self):
        env = cg_wrappers.RuntimePointEstimateReward(self.make(), runtime_count=3)
        self.assertEqual(env.reward_range, (-INF, INF))

    # CompilerGym: tests/wrappers/llvm_test.py::test_reward_range_not_runnable_benchmark
    def test_reward_range_not_runnable_benchmark(self):
        env = cg_wrappers.RuntimePointEstimateReward(self.make(), runtime_count=3)
        # Adapted: NOT_RUNNABLE (by design) for BenchmarkInitError "Benchmark is not runnable: benchmark://npb-v0/1".
        with self.assertRaisesRegex(passgym.NotRunnableError, f"{NOT_RUNNABLE} is not runnable"):
            env.reset(benchmark=NOT_RUNNABLE)

    # CompilerGym: tests/wrappers/llvm_test.py::test_fork
    def test_fork(self):
        env = cg_wrappers.RuntimePointEstimateReward(self.make())
        with env.fork() as fkd:
            # Adapted: PassGym's reward space is named "Runtime" (CompilerGym's spec: "runtime").
            self.assertEqual(fkd.reward_space.name, "Runtime")

    # CompilerGym: tests/wrappers/llvm_test.py::test_reward_values
    def test_reward_values(self):
        for runtime_count, warmup_count, estimator in itertools.product((1, 3, 5), (0, 1, 3), (np.median, min)):
            with self.subTest(runtime_count=runtime_count, warmup_count=warmup_count, estimator=estimator):
                env = cg_wrappers.RuntimePointEstimateReward(self.make(), runtime_count=runtime_count,
                                                             warmup_count=warmup_count, estimator=estimator)
                env.reset()

                self.assertEqual(env.runtime_count, runtime_count)
                self.assertEqual(env.warmup_count, warmup_count)

                _, reward_a, done, info = env.step(env.action_space.sample())
                self.assertFalse(done, info)
                _, reward_b, done, info = env.step(env.action_space.sample())
                self.assertFalse(done, info)
                _, reward_c, done, info = env.step(env.action_space.sample())
                self.assertFalse(done, info)

                self.assertEqual(env.episode_reward, reward_a + reward_b + reward_c)
                self.assertTrue(reward_a or reward_b or reward_c)
                env.close()


# ---------------------------------------------------------------------------------------------
# tests/wrappers/time_limit_wrappers_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class TimeLimitWrappersTest(EnvTestCase):
    # CompilerGym: tests/wrappers/time_limit_wrappers_test.py::test_wrapped_close
    def test_wrapped_close(self):
        env = cg_wrappers.TimeLimit(self.make(), max_episode_steps=5)
        env.close()
        self.closed(env)  # for `env.service is None`

    # CompilerGym: tests/wrappers/time_limit_wrappers_test.py::test_wrapped_fork_type
    def test_wrapped_fork_type(self):
        env = cg_wrappers.TimeLimit(self.make(), max_episode_steps=5)
        fkd = env.fork()
        try:
            self.assertIsInstance(fkd, cg_wrappers.TimeLimit)
        finally:
            fkd.close()

    # CompilerGym: tests/wrappers/time_limit_wrappers_test.py::test_wrapped_step_multi_step
    def test_wrapped_step_multi_step(self):
        env = cg_wrappers.TimeLimit(self.make(), max_episode_steps=5)
        env.reset(benchmark="benchmark://cbench-v1/dijkstra")
        env.multistep([0, 0, 0])

        self.assertEqual(env.benchmark, mapped("benchmark://cbench-v1/dijkstra"))
        self.assertEqual(env.actions, [0, 0, 0])

    # CompilerGym: tests/wrappers/time_limit_wrappers_test.py::test_wrapped_custom_step_args
    def test_wrapped_custom_step_args(self):
        env = cg_wrappers.TimeLimit(self.make(), max_episode_steps=5)
        env.reset(benchmark="benchmark://cbench-v1/dijkstra")
        (ic,), _, _, _ = env.step(0, observation_spaces=["IrInstructionCount"])
        self.assertIsInstance(ic, int)

    # CompilerGym: tests/wrappers/time_limit_wrappers_test.py::test_time_limit_reached
    def test_time_limit_reached(self):
        env = cg_wrappers.TimeLimit(self.make(), max_episode_steps=3)

        env.reset()
        _, _, done, info = env.step(0)
        self.assertFalse(done, info)
        _, _, done, info = env.step(0)
        self.assertFalse(done, info)
        _, _, done, info = env.step(0)
        self.assertTrue(done, info)
        # Adapted: a step after the limit raises EPISODE_STATE by design (passgym.wrappers: the
        # wrapper ended the episode); CompilerGym steps on and returns done again.
        with self.assertRaises(passgym.EpisodeStateError):
            env.step(0)
        self.assertTrue(info["TimeLimit.truncated"], info)

    # CompilerGym: tests/wrappers/time_limit_wrappers_test.py::test_time_limit_fork
    def test_time_limit_fork(self):
        env = cg_wrappers.TimeLimit(self.make(), max_episode_steps=3)

        env.reset()
        _, _, done, info = env.step(0)  # 1st step
        self.assertFalse(done, info)

        fkd = env.fork()
        try:
            _, _, done, info = env.step(0)  # 2nd step
            self.assertFalse(done, info)
            _, _, done, info = fkd.step(0)  # 2nd step
            self.assertFalse(done, info)

            _, _, done, info = env.step(0)  # 3rd step
            self.assertTrue(done, info)
            _, _, done, info = fkd.step(0)  # 3rd step
            self.assertTrue(done, info)
        finally:
            fkd.close()

    # CompilerGym: tests/wrappers/time_limit_wrappers_test.py::test_time_limit
    def test_time_limit(self):
        env = cg_wrappers.TimeLimit(self.make(), max_episode_steps=3)
        env = cg_wrappers.CycleOverBenchmarks(env, benchmarks=["benchmark://cbench-v1/crc32"])
        env.reset()

        _, _, done, info = env.step(0)
        self.assertFalse(done, info)
        _, _, done, info = env.step(0)
        self.assertFalse(done, info)
        _, _, done, info = env.step(0)
        self.assertTrue(done)
        self.assertTrue(info["TimeLimit.truncated"], info)


# ---------------------------------------------------------------------------------------------
# tests/wrappers/validation_test.py
# ---------------------------------------------------------------------------------------------
@needs_server
class ValidationWrappersTest(EnvTestCase):
    # CompilerGym: tests/wrappers/validation_test.py::test_ValidateBenchmarkAfterEveryStep_valid
    def test_ValidateBenchmarkAfterEveryStep_valid(self):
        env = self.make()
        env.reset()
        # CompilerGym stubs the benchmark's validation to pass; here qsort's real validation runs.
        env = cg_wrappers.ValidateBenchmarkAfterEveryStep(env, reward_penalty=-5)
        _, reward, done, info = env.step(0)
        self.assertNotEqual(reward, -5)
        self.assertFalse(done)
        self.assertNotIn("error_details", info)


if __name__ == "__main__":
    unittest.main()
