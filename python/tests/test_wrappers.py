"""``passgym.wrappers``: CompilerGym's wrappers over ``PassGymEnv``, with the semantics of
TypeScript's env/wrappers/ (tests/env/wrappers.test.ts is the TypeScript twin). Run from the
checkout:

    /usr/bin/python3 -m unittest python/tests/test_wrappers.py -v
"""
import math
import shutil
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import passgym  # noqa: E402
from passgym import PassGymError, ValidationResult  # noqa: E402
from passgym.wrappers import (  # noqa: E402
    TERMINAL_ACTION,
    ActionWrapper,
    CommandlineWithTerminalAction,
    ConstrainedCommandline,
    Counter,
    CycleOverBenchmarks,
    ForkOnStep,
    IterateOverBenchmarks,
    ObservationWrapper,
    RandomOrderBenchmarks,
    RewardWrapper,
    RuntimePointEstimateReward,
    TimeLimit,
    ValidateBenchmarkAfterEveryStep,
    Wrapper,
)

CRC32 = "benchmark://embedded-v0/crc32"
BITCOUNT = "benchmark://embedded-v0/bitcount"
QSORT = "benchmark://embedded-v0/qsort"
MATMUL = "benchmark://embedded-v0/matmul"


@unittest.skipUnless(shutil.which("node") and (ROOT / "dist" / "scripts" / "cli.js").is_file(), "needs node and npx tsc -p .")
class WrappersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Holds the process's private server for the whole class (it stops with the last env).
        cls.keeper = passgym.make("llvm-v0")

    @classmethod
    def tearDownClass(cls):
        cls.keeper.close()

    def make(self, env_id="llvm-ic-v0", **kw):
        env = passgym.make(env_id, **kw)
        self.addCleanup(env.close)
        return env

    def keep(self, env):
        """Closes ``env`` (a fork) at the end of the test."""
        self.addCleanup(env.close)
        return env

    def assertEpisodeEnded(self, env, action=0):
        with self.assertRaises(PassGymError) as cm:
            env.step(action)
        self.assertEqual(cm.exception.code, "EPISODE_STATE")
        self.assertIn("episode has ended", cm.exception.message)

    def test_wrapper_forwards_attributes_and_setters(self):
        inner = self.make("llvm-v0")
        env = Wrapper(Wrapper(inner))
        self.assertIs(env.unwrapped, inner)
        self.assertIs(env.action_space, inner.action_space)
        env.reward_space = "IrInstructionCount"  # set on the wrapped env, as CompilerGym's setters
        self.assertEqual(inner.reward_space, "IrInstructionCount")
        env.observation_space = "IrInstructionCount"
        obs, info = env.reset(benchmark=CRC32)
        self.assertEqual(info["benchmark"], CRC32)
        self.assertEqual(obs, env.observation["IrInstructionCount"])
        obs, reward, terminated, truncated, info = env.step("mem2reg")
        self.assertGreater(reward, 0)
        self.assertEqual((terminated, truncated), (False, False))
        self.assertEqual(env.actions, [inner.action_space.index("mem2reg")])
        self.assertEqual(env.state, inner.state)
        self.assertEqual(env.episode_reward, reward)
        self.assertIn("Wrapper", repr(env))
        fork = self.keep(env.fork())
        self.assertIsInstance(fork, Wrapper)
        self.assertIsInstance(fork.env, Wrapper)
        self.assertIsNot(fork.unwrapped, inner)
        self.assertEqual(fork.actions, env.actions)

    def test_time_limit_truncates_and_refuses_a_further_step(self):
        with self.assertRaises(ValueError):
            TimeLimit(self.keeper, 0)
        env = TimeLimit(self.make(), 3)
        env.reset(benchmark=CRC32)
        self.assertFalse(env.step("mem2reg")[3])
        self.assertFalse(env.step("instcombine")[3])
        _, _, terminated, truncated, _ = env.step("gvn")
        self.assertEqual((terminated, truncated), (False, True))
        self.assertTrue(env.episode_ended)
        self.assertEpisodeEnded(env, "dce")
        env.reset()
        self.assertFalse(env.step("dce")[3])
        self.assertTrue(env.multistep(["gvn", "dce"])[3])  # multistep counts each action

    def test_commandline_with_terminal_action_ends_the_episode(self):
        inner = self.make()
        env = CommandlineWithTerminalAction(inner)
        self.assertEqual(TERMINAL_ACTION, "end-of-episode")
        self.assertEqual(env.action_space.names[-1], TERMINAL_ACTION)
        self.assertEqual(env.action_space.n, inner.action_space.n + 1)
        self.assertEqual(env.action_space.flags[-1], "# end-of-episode")
        self.assertEqual(env.action_space.index(TERMINAL_ACTION), env.action_space.n - 1)
        self.assertEqual(env.action_space.index("-gvn"), inner.action_space.index("-gvn"))
        env.reset(benchmark=CRC32)
        env.step("mem2reg")
        _, reward, terminated, truncated, _ = env.step(env.action_space.n - 1)
        self.assertEqual((reward, terminated, truncated), (0.0, True, False))
        self.assertEqual(len(env.actions), 1)
        self.assertEpisodeEnded(env)
        env.reset()
        _, _, terminated, _, _ = env.multistep(["mem2reg", TERMINAL_ACTION, "gvn"])  # gvn is dropped
        self.assertTrue(terminated)
        self.assertEqual(env.actions, [inner.action_space.index("mem2reg")])
        with self.assertRaises(PassGymError) as cm:
            env.reset()
            env.step(env.action_space.n)
        self.assertEqual(cm.exception.code, "UNKNOWN_ACTION")

    def test_constrained_commandline_renumbers_a_subset(self):
        base = self.make()
        env = ConstrainedCommandline(base, ["mem2reg", "-gvn", "instcombine"])
        self.assertEqual(env.action_space.n, 3)
        self.assertEqual(env.action_space.names, ["mem2reg", "gvn", base.action_space.names[base.action_space.index("instcombine")]])
        self.assertEqual(env.action(1), base.action_space.index("gvn"))  # CompilerGym's .action(index)
        self.assertEqual(env.action([0, 1]), [base.action_space.index("mem2reg"), base.action_space.index("gvn")])
        self.assertEqual(env.reverse_action(base.action_space.index("gvn")), 1)
        self.assertEqual(env.reverse_action(base.action_space.index("dce")), -1)
        self.assertEqual(env.action_space.index("-gvn"), 1)
        self.assertEqual(ConstrainedCommandline(base, flags=["-gvn"]).action_space.names, ["gvn"])  # CompilerGym's keyword
        with self.assertRaises(ValueError):
            ConstrainedCommandline(base, [])
        env.reset(benchmark=CRC32)
        env.step(1)
        self.assertEqual(env.actions, [1])
        self.assertEqual(base.actions, [base.action_space.index("gvn")])
        self.assertIn("module(gvn)", env.commandline())
        with self.assertRaises(PassGymError) as cm:
            env.step(3)
        self.assertEqual(cm.exception.code, "UNKNOWN_ACTION")
        self.assertIn(env.action_space.sample(), range(3))

    def test_cycle_and_random_order_choose_benchmarks_on_reset(self):
        with self.assertRaises(ValueError):
            CycleOverBenchmarks(self.keeper, [])
        with self.assertRaises(ValueError):
            RandomOrderBenchmarks(self.keeper, [])
        cycle = CycleOverBenchmarks(self.make("llvm-v0"), [CRC32, BITCOUNT])
        seen = []
        for _ in range(3):
            cycle.reset()
            seen.append(cycle.benchmark)
        self.assertEqual(seen, [CRC32, BITCOUNT, CRC32])
        cycle.reset(benchmark=QSORT)  # named: used, position kept
        self.assertEqual(cycle.benchmark, QSORT)
        cycle.reset()
        self.assertEqual(cycle.benchmark, BITCOUNT)

        def draws(seed):
            env = RandomOrderBenchmarks(self.make("llvm-v0"), [CRC32, BITCOUNT])
            env.reset(seed=seed)
            out = [env.benchmark]
            for _ in range(5):
                env.reset()
                out.append(env.benchmark)
            return out

        a = draws(0)
        self.assertEqual(draws(0), a)
        self.assertEqual(set(a), {CRC32, BITCOUNT})

    def test_the_fork_of_every_wrapper_is_wrapped_the_same_way(self):
        cycle = CycleOverBenchmarks(self.make("llvm-v0"), [CRC32, BITCOUNT])
        cycle.reset()
        cycle_fork = self.keep(cycle.fork())
        self.assertIsInstance(cycle_fork, CycleOverBenchmarks)
        cycle_fork.reset()
        self.assertEqual(cycle_fork.benchmark, BITCOUNT)
        cycle_fork.reset()
        self.assertEqual(cycle_fork.benchmark, CRC32)
        cycle.reset()  # the original's position did not move with the fork's
        self.assertEqual(cycle.benchmark, BITCOUNT)

        random = RandomOrderBenchmarks(self.make("llvm-v0"), [CRC32, BITCOUNT], 3)
        random.reset()
        random_fork = self.keep(random.fork())
        self.assertIsInstance(random_fork, RandomOrderBenchmarks)

        def draws(env):
            out = []
            for _ in range(6):
                env.reset()
                out.append(env.benchmark)
            return out

        self.assertEqual(draws(random_fork), draws(random))  # a copy of the RNG, not a reseed

        limited = TimeLimit(self.make(), 2)
        limited.reset(benchmark=CRC32)
        limited.step("mem2reg")
        limited_fork = self.keep(limited.fork())
        self.assertIsInstance(limited_fork, TimeLimit)
        self.assertTrue(limited_fork.step("gvn")[3])
        self.assertFalse(limited.episode_ended)

        constrained = ConstrainedCommandline(CommandlineWithTerminalAction(self.make()), ["gvn", TERMINAL_ACTION])
        constrained.reset(benchmark=CRC32)
        constrained_fork = self.keep(constrained.fork())
        self.assertIsInstance(constrained_fork, ConstrainedCommandline)
        self.assertIsInstance(constrained_fork.env, CommandlineWithTerminalAction)
        self.assertEqual(constrained_fork.action_space.names, ["gvn", TERMINAL_ACTION])
        self.assertTrue(constrained_fork.step(1)[2])
        self.assertFalse(constrained.episode_ended)
        constrained.step(0)

        undoable = self.keep(ForkOnStep(self.make()))  # closes its forks too
        undoable.reset(benchmark=CRC32)
        undoable.step("mem2reg")
        undoable_fork = self.keep(undoable.fork())
        self.assertIsInstance(undoable_fork, ForkOnStep)
        self.assertEqual(undoable_fork.depth, 0)
        self.assertEqual(len(undoable_fork.actions), 1)
        undoable_fork.step("gvn")
        undoable_fork.undo()
        self.assertEqual(len(undoable_fork.actions), 1)
        self.assertEqual(undoable.depth, 1)

    def test_iterate_over_benchmarks_raises_stop_iteration_after_the_last(self):
        def uris():
            yield CRC32
            yield BITCOUNT

        env = IterateOverBenchmarks(self.make("llvm-v0"), uris())
        self.assertEqual(env.reset()[1]["benchmark"], CRC32)
        fork = self.keep(env.fork())
        self.assertIsInstance(fork, IterateOverBenchmarks)
        env.reset(benchmark=QSORT)  # named: does not advance
        env.reset()
        self.assertEqual(env.benchmark, BITCOUNT)
        with self.assertRaises(StopIteration):
            env.reset()
        # The fork advances on its own copy of the sequence.
        fork.reset()
        self.assertEqual(fork.benchmark, BITCOUNT)
        with self.assertRaises(StopIteration):
            fork.reset()

    def test_fork_on_step_undoes_steps(self):
        env = ForkOnStep(self.make())
        env.reset(benchmark="benchmark://embedded-v0/sha256")
        start = env.observation["IrInstructionCount"]
        env.step("mem2reg")
        after_one = env.observation["IrInstructionCount"]
        env.step("instcombine")
        self.assertEqual(env.depth, 2)
        self.assertEqual(len(env.stack), 2)
        env.undo()
        self.assertEqual(env.observation["IrInstructionCount"], after_one)
        self.assertEqual(len(env.actions), 1)
        env.undo()
        self.assertEqual(env.observation["IrInstructionCount"], start)
        self.assertEqual(env.actions, [])
        with self.assertRaises(IndexError) as cm:
            env.undo()
        self.assertIn("no step to undo", str(cm.exception))
        with self.assertRaises(PassGymError):
            env.step(10_000)  # a step that raises leaves the stack as it was
        self.assertEqual(env.depth, 0)
        env.step("mem2reg")
        env.reset()
        self.assertEqual((env.depth, env.actions), (0, []))

    def test_counter_counts_and_a_fork_has_its_own_counts(self):
        env = Counter(self.make())
        self.assertEqual(env.counters, {"close": 0, "reset": 0, "step": 0, "fork": 0})
        env.reset(benchmark=CRC32)
        env.step("mem2reg")
        env.multistep(["instcombine", "gvn"])
        fork = env.fork()
        self.assertIsInstance(fork, Counter)
        self.assertEqual(fork.counters, {"close": 0, "reset": 0, "step": 0, "fork": 0})
        fork.step("dce")
        fork.close()
        self.assertEqual(fork.counters, {"close": 1, "reset": 0, "step": 1, "fork": 0})
        env.reset()
        self.assertEqual(env.counters, {"close": 0, "reset": 2, "step": 2, "fork": 1})  # reset does not clear them
        env.close()
        self.assertEqual(env.counters["close"], 1)

    def test_runtime_point_estimate_reward(self):
        with self.assertRaises(PassGymError) as cm:
            RuntimePointEstimateReward(self.keeper, 1000)
        self.assertEqual(cm.exception.code, "INVALID_VALUE")
        with self.assertRaises(PassGymError) as cm:
            RuntimePointEstimateReward(self.keeper, 3, 11)
        self.assertIn("0..10", cm.exception.message)
        inner = self.make()
        env = RuntimePointEstimateReward(inner, 3, 1)
        self.assertEqual((inner.runtime_observation_count, inner.runtime_warmup_runs_count), (3, 1))
        self.assertEqual(env.reward_space, "Runtime")
        self.assertEqual(inner.reward_space, "IrInstructionCountOz")
        env.reset(benchmark=MATMUL)
        self.assertEqual(env.episode_reward, 0.0)
        r1 = env.step("mem2reg")[1]
        r2 = env.step("instcombine")[1]
        for r in (r1, r2):
            self.assertIsInstance(r, float)
            self.assertTrue(math.isfinite(r))
            self.assertLess(abs(r), 60)
        self.assertAlmostEqual(env.episode_reward, r1 + r2, delta=1e-12)
        self.assertEqual(env.state.reward, env.episode_reward)
        self.assertNotEqual(inner.episode_reward, env.episode_reward)  # the wrapped env keeps its own reward
        fork = self.keep(env.fork())
        self.assertIsInstance(fork, RuntimePointEstimateReward)
        self.assertEqual(fork.episode_reward, env.episode_reward)
        self.assertEqual(fork.unwrapped.runtime_observation_count, 3)
        self.assertIsInstance(fork.step("gvn")[1], float)

    def test_validate_after_every_step(self):
        env = ValidateBenchmarkAfterEveryStep(self.make())
        self.assertEqual(env.reward_penalty, -1e3)
        env.reset(benchmark=CRC32)
        _, reward, terminated, _, info = env.step("mem2reg")
        self.assertFalse(terminated)
        self.assertGreater(reward, 0)
        self.assertNotIn("error_type", info)
        self.assertIsInstance(self.keep(env.fork()), ValidateBenchmarkAfterEveryStep)

        class FailingValidation(Wrapper):
            """A validation that fails, as a miscompiling pass would make it."""

            def __init__(self, env):
                super().__init__(env)
                self.seen = []

            def validate(self, state=None):
                self.seen.append(state)
                return ValidationResult(state=state, ok=False, reward_validated=False, reward_validation_failed=False,
                                        semantics_validated=True, semantics_validation_failed=True, actual_reward=None,
                                        error_type="Miscompilation", error_details="output differs", walltime=0.0)

        failing = FailingValidation(self.make())
        penalized = ValidateBenchmarkAfterEveryStep(failing, -5)
        penalized.reset(benchmark=CRC32)
        _, reward, terminated, truncated, info = penalized.step("mem2reg")
        self.assertEqual((reward, terminated, truncated), (-5, True, False))
        self.assertEqual((info["error_type"], info["error_details"]), ("Miscompilation", "output differs"))
        self.assertFalse(info["validation"].ok)
        self.assertIsNone(failing.seen[0].reward)  # validated without the reward
        self.assertIn("mem2reg", failing.seen[0].commandline)
        self.assertEpisodeEnded(penalized, "gvn")

    def test_action_observation_and_reward_wrappers(self):
        class Reversed(ActionWrapper):
            def action(self, action):
                space = self.env.action_space
                return space.n - 1 - space.index(action)

        class Doubled(ObservationWrapper):
            def observation(self, observation):
                return observation * 2

        class Negated(RewardWrapper):
            def reward(self, reward):
                return -reward

        base = self.make(observation_space="IrInstructionCount")
        env = Negated(Doubled(Reversed(base)))
        observation, _ = env.reset(benchmark=CRC32)
        count0 = env.unwrapped.observation["IrInstructionCount"]
        self.assertEqual(observation, 2 * count0)
        k = base.action_space.index("mem2reg")
        observation, reward, _, _, _ = env.step(base.action_space.n - 1 - k)
        self.assertEqual(base.actions, [k])
        self.assertEqual(observation, 2 * env.unwrapped.observation["IrInstructionCount"])
        self.assertLess(reward, 0)
        self.assertAlmostEqual(reward, -base.episode_reward, delta=1e-12)
        self.assertAlmostEqual(env.episode_reward, reward, delta=1e-12)
        self.assertEqual(env.state.reward, env.episode_reward)
        self.assertTrue(env.validate().ok)  # the wrapped env's own state replays
        fork = self.keep(env.fork())
        self.assertIsInstance(fork, Negated)
        self.assertIsInstance(fork.env, Doubled)
        self.assertIsInstance(fork.env.env, Reversed)
        self.assertEqual(fork.episode_reward, env.episode_reward)
        _, again, _, _, _ = fork.step(base.action_space.n - 1 - base.action_space.index("instcombine"))
        self.assertLessEqual(again, 0)
        self.assertAlmostEqual(fork.episode_reward, reward + again, delta=1e-12)
        self.assertAlmostEqual(env.episode_reward, reward, delta=1e-12)
        # With explicit spaces the lists come back untransformed.
        observations, rewards, _, _, _ = env.step(base.action_space.n - 1 - k, observation_spaces=["IrInstructionCount"],
                                                  reward_spaces=["IrInstructionCount"])
        self.assertEqual(observations, [env.unwrapped.observation["IrInstructionCount"]])
        self.assertEqual(rewards, [0.0])


if __name__ == "__main__":
    unittest.main()
