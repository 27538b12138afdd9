"""Tests of PassGym's Python client against a real ``passgym serve`` (and a fake server for the
lazy-pirate retries). Run from the checkout:

    /usr/bin/python3 -m unittest discover -s python/tests -v
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import numpy as np  # noqa: E402
import zmq  # noqa: E402

from passgym import Client, PassGymEnv, PassGymError, PassGymTimeout, pb  # noqa: E402
from passgym.spaces import Box  # noqa: E402
import passgym  # noqa: E402

CLI = ROOT / "dist" / "scripts" / "cli.js"
QSORT = "benchmark://embedded-v0/qsort"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerTest(unittest.TestCase):
    """One real server (2 workers) for the whole class."""

    @classmethod
    def setUpClass(cls):
        if shutil.which("node") is None or not CLI.is_file():
            raise unittest.SkipTest(f"needs node and {CLI} (npm run build)")
        cls.endpoint = f"tcp://127.0.0.1:{free_port()}"
        cls.proc = subprocess.Popen(["node", str(CLI), "serve", "--bind", cls.endpoint, "--workers", "2"], cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready, cls.output = threading.Event(), []

        def drain():  # keep reading so the server never blocks on a full pipe
            for line in cls.proc.stdout:
                cls.output.append(line)
                if line.startswith("passgym serve: listening on"):
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(120) or cls.proc.poll() is not None:
            cls.tearDownClass()
            raise RuntimeError("passgym serve did not start:\n" + "".join(cls.output))
        cls.client = Client(cls.endpoint, timeout_ms=60_000)

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "client", None):
            cls.client.close()
        cls.proc.send_signal(signal.SIGTERM)
        try:
            cls.proc.wait(30)
        except subprocess.TimeoutExpired:
            cls.proc.kill()
            cls.proc.wait()

    def env(self, **kw) -> PassGymEnv:
        e = PassGymEnv(kw.pop("benchmark", QSORT), client=self.client, **kw)
        self.addCleanup(e.close)
        return e

    def test_seed_draws_the_program_of_a_dataset(self):
        env = self.env()
        drawn = set()
        for seed in range(6):
            _, info = env.reset(seed=seed, options={"benchmark": "benchmark://embedded-v0"})
            again = self.client.start_session("benchmark://embedded-v0", seed=seed)
            self.client.end_session(again.session_id)
            self.assertEqual(info["benchmark"], again.benchmark)
            self.assertRegex(info["benchmark"], r"^benchmark://embedded-v0/\w+$")
            drawn.add(info["benchmark"])
        self.assertGreater(len(drawn), 1)

    def test_version_and_spaces(self):
        v = self.client.get_version()
        self.assertEqual(v.protocol, "passgym.v2")
        self.assertRegex(v.llvm_version, r"^\d+\.\d+")
        self.assertTrue(v.service_version)
        env = self.env()
        self.assertEqual(env.action_space.name, "PassesAll")
        self.assertEqual(env.action_space.n, len(env.action_space.names))
        # "instcombine" and "-instcombine" select the action however the loaded LLVM spells it
        # (instcombine<no-verify-fixpoint> from LLVM 18).
        k = env.action_space.index("instcombine")
        self.assertEqual(env.action_space.index("-instcombine"), k)
        self.assertRegex(env.action_space.names[k], r"^instcombine(<no-verify-fixpoint>)?$")
        self.assertEqual(env.action_space.index(env.action_space.names[k]), k)
        # A flag without its dash, as TypeScript accepts it: "licm" is -licm's function(loop-mssa(licm)).
        self.assertEqual(env.action_space.names[env.action_space.index("licm")], "function(loop-mssa(licm))")
        self.assertEqual(len(env.action_space.metadata), env.action_space.n)
        self.assertTrue(env.action_space.metadata[k]["deterministic"])
        self.assertIn(k, env.action_space.safe_indices())
        self.assertIn("IrInstructionCountOz", env.reward_spaces)
        self.assertEqual(env.observation_spaces["InstCount"].shape, (70,))
        self.assertEqual(env.observation_spaces["Autophase"].shape, (56,))
        self.assertEqual(env.observation_spaces["Autophase"].dtype, np.int64)
        self.assertIn(env.observation_spaces["Autophase"].sample(), env.observation_spaces["Autophase"])
        levels = self.env(action_space="PassesWithLevels")
        self.assertIn("default<Oz>", levels.action_space.names)
        with self.assertRaises(PassGymError) as cm:
            self.env(reward_space="NoSuchReward")
        self.assertEqual(cm.exception.code, "UNKNOWN_SPACE")

    def test_oz_reward_is_one(self):
        env = self.env(action_space="PassesWithLevels", reward_space="IrInstructionCountOz")
        obs, info = env.reset()
        self.assertIsNone(obs)
        self.assertEqual(info["benchmark"], QSORT)
        self.assertEqual(env.episode_reward, 0.0)
        obs, reward, terminated, truncated, info = env.step("default<Oz>")
        self.assertAlmostEqual(reward, 1.0, delta=1e-9)
        self.assertAlmostEqual(env.episode_reward, 1.0, delta=1e-9)
        self.assertEqual((terminated, truncated, info), (False, False, {"action_had_no_effect": False}))
        self.assertEqual(env.actions, [env.action_space.names.index("default<Oz>")])
        self.assertIn("default<Oz>", env.commandline())
        check = env.validate()
        self.assertTrue(check.ok, check)
        self.assertAlmostEqual(check.actual_reward, 1.0, delta=1e-9)

    def test_multistep_and_seeded_sampling(self):
        env = self.env(reward_space="IrInstructionCountOz")
        env.reset(seed=7)
        first = [env.action_space.sample() for _ in range(10)]
        env.reset(seed=7)
        self.assertEqual([env.action_space.sample() for _ in range(10)], first)
        _, reward, *_ = env.multistep(first)
        self.assertEqual(env.actions, first)
        self.assertAlmostEqual(reward, env.episode_reward, delta=1e-12)
        with self.assertRaises(PassGymError) as cm:
            env.step("no-such-pass")
        self.assertEqual(cm.exception.code, "UNKNOWN_ACTION")
        with self.assertRaises(PassGymError) as cm:
            self.client.step(env.session_id, [10_000])
        self.assertEqual(cm.exception.code, "UNKNOWN_ACTION")

    def test_observations_are_numpy(self):
        env = self.env(observation_space="InstCount")
        obs, _ = env.reset()
        self.assertIsInstance(obs, np.ndarray)
        self.assertEqual((obs.shape, obs.dtype), ((70,), np.int64))
        auto = env.observe("Autophase")
        self.assertEqual((auto.shape, auto.dtype), ((56,), np.int64))
        values = env.observe(["Ir", "Bitcode", "InstCountDict", "IrInstructionCount", "InstCountNorm", "IsRunnable"])
        self.assertIn("define", values["Ir"])
        self.assertTrue(values["Bitcode"].startswith(b"BC"))
        self.assertEqual(values["InstCountDict"]["TotalInstsCount"], values["IrInstructionCount"])
        self.assertEqual(int(obs[0]), values["IrInstructionCount"])
        self.assertEqual((values["InstCountNorm"].shape, values["InstCountNorm"].dtype), ((69,), np.float32))
        # InstCountNormDict: the same floats, keyed <Name>Density (CompilerGym's names).
        density = env.observe("InstCountNormDict")
        self.assertEqual(len(density), 69)
        self.assertAlmostEqual(density["LoadDensity"], float(values["InstCountNorm"][33]), places=6)
        self.assertIsInstance(density["TotalBlocksDensity"], float)
        self.assertIs(values["IsRunnable"], True)
        # Every vector observation arrives with the dtype and shape GetSpaces declares.
        for name, space in env.observation_spaces.items():
            if isinstance(space, Box) and space.shape:
                value = env.observe(name)
                self.assertEqual((name, value.dtype, value.shape), (name, space.dtype, space.shape))
        # Runtime: one float64 per run (runtime_observation_count, 1 by default), in its Sequence space.
        runs = env.observe("Runtime")
        self.assertEqual((runs.dtype, runs.shape), (np.float64, (1,)))
        self.assertTrue(env.observation_spaces["Runtime"].contains(runs))
        obs2, *_ = env.step("mem2reg")
        self.assertLess(int(obs2[0]), int(obs[0]))

    def test_fork_is_independent(self):
        env = self.env(action_space="PassesWithLevels", reward_space="IrInstructionCountOz")
        env.reset()
        env.step("mem2reg")
        count, reward = env.observe("IrInstructionCount"), env.episode_reward
        fork = env.fork()
        self.addCleanup(fork.close)
        self.assertNotEqual(fork.session_id, env.session_id)
        self.assertEqual((fork.actions, fork.episode_reward), (env.actions, reward))
        fork.step("default<Oz>")
        # -Oz changes the program (it need not shrink it after mem2reg: on LLVM 22 qsort grows by one).
        self.assertNotEqual(fork.observe("IrInstructionCount"), count)
        self.assertEqual(env.observe("IrInstructionCount"), count)
        self.assertEqual(env.episode_reward, reward)
        self.assertEqual(fork.actions[:-1], env.actions)
        fork.close()
        env.step("instcombine")  # the parent lives on after its fork ends
        self.assertEqual(len(env.actions), 2)

    def test_unknown_benchmark(self):
        env = self.env()
        env.reset()
        with self.assertRaises(PassGymError) as cm:
            env.reset(options={"benchmark": "benchmark://no-such-dataset-v0/x"})
        self.assertEqual(cm.exception.code, "UNKNOWN_BENCHMARK")
        env.step(0)  # the previous episode is kept
        with self.assertRaises(PassGymError) as cm:
            self.client.start_session("benchmark://embedded-v0/no-such-program")
        self.assertEqual(cm.exception.code, "UNKNOWN_BENCHMARK")

    def test_step_on_ended_session(self):
        env = self.env()
        env.reset()
        sid = env.session_id
        self.client.end_session(sid)
        with self.assertRaises(PassGymError) as cm:
            env.step(0)
        self.assertEqual(cm.exception.code, "SESSION_NOT_FOUND")
        env.reset()  # ending the (already ended) session on reset is harmless
        self.assertNotEqual(env.session_id, sid)
        env.close()
        with self.assertRaises(PassGymError) as cm:
            env.step(0)
        self.assertEqual(cm.exception.code, "CLOSED")

    def test_sessions_belong_to_their_client(self):
        env = self.env()
        env.reset()
        stranger = Client(self.endpoint, timeout_ms=20_000)
        self.addCleanup(stranger.close)
        for call in (lambda: stranger.step(env.session_id, [0]), lambda: stranger.fork_session(env.session_id),
                     lambda: stranger.end_session(env.session_id)):
            with self.assertRaises(passgym.SessionNotOwnedError) as cm:
                call()
            self.assertEqual(cm.exception.code, "SESSION_NOT_OWNED")
            self.assertIsInstance(cm.exception, PassGymError)
        # A clone is the same client (same client_id), and the owner's session is untouched.
        clone = env.client.clone()
        self.addCleanup(clone.close)
        self.assertEqual(list(clone.step(env.session_id, [0]).episode_actions), [0])
        obs, *_ = env.step(1)
        self.assertEqual(env.actions, [0, 1])

    def test_list_benchmarks(self):
        client = Client(self.endpoint, timeout_ms=30_000)
        self.addCleanup(client.close)
        names = {d.name: d for d in client.list_benchmarks().datasets}
        self.assertTrue(names["csmith-v0"].generator)
        page = client.list_benchmarks("embedded-v0", offset=0, limit=2)
        self.assertEqual((list(page.benchmarks), page.total),
                         (["benchmark://embedded-v0/adpcm", "benchmark://embedded-v0/bitcount"], 8))

    def test_resent_step_is_answered_once(self):
        env = self.env()
        env.reset()
        frame = pb.Request(request_id=987654321, client_id=env.client.client_id,
                           step=pb.StepRequest(session_id=env.session_id, actions=[3])).SerializeToString()
        replies = []
        for _ in range(2):  # lazy pirate: the same request again, from a new socket
            s = zmq.Context.instance().socket(zmq.DEALER)
            s.connect(self.endpoint)
            s.send(frame)
            self.assertTrue(s.poll(30_000))
            replies.append(list(pb.Response.FromString(s.recv()).step.episode_actions))
            s.close(linger=0)
        self.assertEqual(replies, [[3], [3]])

    def test_random_search_example(self):
        out = subprocess.run([sys.executable, str(ROOT / "examples" / "random_search.py"), self.endpoint, "--episodes", "8",
                              "--episode-length", "20", "--seconds", "60", "--json"],
                             capture_output=True, text=True, timeout=180)
        self.assertEqual(out.returncode, 0, out.stderr)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        self.assertEqual(result["episodes"], 8)
        self.assertGreater(result["best_episode_reward"], result["mean_random_episode_reward"])
        self.assertTrue(result["best_commandline"].startswith("opt"))
        self.assertIn("best commandline: opt", out.stdout)


class LazyPirateTest(unittest.TestCase):
    """The client against a fake ROUTER that drops, delays and mislabels replies."""

    def serve(self, handler):
        """Binds a ROUTER on a free port; ``handler(n, request) -> [Response, ...]`` per request."""
        ctx = zmq.Context.instance()
        router = ctx.socket(zmq.ROUTER)
        port = router.bind_to_random_port("tcp://127.0.0.1")
        stop, seen = threading.Event(), []

        def loop():
            while not stop.is_set():
                if router.poll(50):
                    ident, frame = router.recv_multipart()
                    req = pb.Request.FromString(frame)
                    seen.append((ident, req.request_id))
                    for resp in handler(len(seen), req):
                        router.send_multipart([ident, resp.SerializeToString()])
            router.close(linger=0)

        t = threading.Thread(target=loop, daemon=True)
        t.start()
        self.addCleanup(lambda: (stop.set(), t.join()))
        return f"tcp://127.0.0.1:{port}", seen

    @staticmethod
    def version(rid):
        return pb.Response(request_id=rid, get_version=pb.GetVersionReply(protocol="passgym.v2"))

    def test_resends_on_a_fresh_socket_and_discards_stale_replies(self):
        # 1st copy: no reply; 2nd copy: a stale reply first, then the right one.
        endpoint, seen = self.serve(lambda n, r: [] if n == 1 else [self.version(r.request_id + 100), self.version(r.request_id)])
        with Client(endpoint, timeout_ms=200, retries=2) as c:
            self.assertEqual(c.get_version().protocol, "passgym.v2")
        self.assertEqual(len(seen), 2)
        self.assertEqual(seen[0][1], seen[1][1])  # same request id resent
        self.assertNotEqual(seen[0][0], seen[1][0])  # from a new socket

    def test_timeout_after_retries(self):
        endpoint, seen = self.serve(lambda n, r: [])
        with Client(endpoint, timeout_ms=100, retries=2) as c:
            with self.assertRaises(PassGymTimeout) as cm:
                c.get_version()
        self.assertEqual(cm.exception.code, "TIMEOUT")
        self.assertEqual(len(seen), 3)

    def test_error_replies_raise(self):
        def handler(n, r):
            if n == 1:
                return [pb.Response(request_id=r.request_id, error=pb.Error(code="SESSION_NOT_FOUND", message="no session 5"))]
            return [pb.Response(request_id=0, error=pb.Error(code="BAD_REQUEST", message="unreadable"))]

        endpoint, _ = self.serve(handler)
        with Client(endpoint, timeout_ms=1000, retries=0) as c:
            with self.assertRaises(PassGymError) as cm:
                c.step(bytes(16), [0])
            self.assertEqual((cm.exception.code, cm.exception.message), ("SESSION_NOT_FOUND", "no session 5"))
            with self.assertRaises(PassGymError) as cm:
                c.get_version()
            self.assertEqual(cm.exception.code, "BAD_REQUEST")


if __name__ == "__main__":
    unittest.main()
