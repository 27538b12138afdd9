"""Tests of passgym.state: CompilerGym's state record and state CSV. No server needed. Run from
the checkout:

    /usr/bin/python3 -m unittest python/tests/test_state.py -v
"""
import dataclasses
import io
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import unittest
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

from passgym.client import PassGymError  # noqa: E402
from passgym.state import (  # noqa: E402
    REWARD_EPSILON,
    STATE_CSV_HEADER,
    CompilerEnvState,
    CompilerEnvStateReader,
    CompilerEnvStateWriter,
    StateFormatError,
    parse_states_csv,
    read_paths,
    states_equal,
    states_to_csv,
)

QSORT = "benchmark://cbench-v1/qsort"
CMD = "opt -mem2reg input.bc -o output.bc"

# As CompilerGym's CompilerEnvStateWriter writes it: csv.writer, lineterminator "\n", header
# before the first row, repr() floats, empty field for no reward.
COMPILERGYM_CSV = (
    "benchmark,reward,walltime,commandline\n"
    "benchmark://cbench-v1/qsort,0.5,3.2,opt -mem2reg input.bc -o output.bc\n"
    "benchmark://cbench-v1/crc32,,0.0,opt input.bc -o output.bc\n"
    "generator://csmith-v0/0,-1.25,12.0,\"opt -passes='instcombine,simplifycfg' input.bc -o output.bc\"\n"
)


def read(text, name=None):
    return list(CompilerEnvStateReader(io.StringIO(text, newline=""), name=name))


class StateTest(unittest.TestCase):
    def assertStateFormat(self, fn, *fragments):
        with self.assertRaises(PassGymError) as cm:
            fn()
        self.assertEqual(cm.exception.code, "STATE_FORMAT")
        self.assertIsInstance(cm.exception, StateFormatError)
        for fragment in fragments:
            self.assertIn(fragment, cm.exception.message)
        return cm.exception

    # -- the record ---------------------------------------------------------------------------

    def test_fields_and_defaults(self):
        s = CompilerEnvState(QSORT, CMD)
        self.assertEqual((s.benchmark, s.commandline, s.walltime, s.reward), (QSORT, CMD, 0.0, None))
        self.assertFalse(s.has_reward)
        s = CompilerEnvState(benchmark=QSORT, commandline=CMD, walltime=3, reward=1)
        self.assertIsInstance(s.walltime, float)
        self.assertIsInstance(s.reward, float)
        self.assertTrue(s.has_reward)
        self.assertTrue(CompilerEnvState(QSORT, CMD, reward=0.0).has_reward)

    def test_frozen(self):
        s = CompilerEnvState(QSORT, CMD, 1.0, 0.5)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            s.reward = 2.0  # type: ignore[misc]
        self.assertEqual(dataclasses.replace(s, reward=0.25).reward, 0.25)
        self.assertStateFormat(lambda: dataclasses.replace(s, walltime=-1), "walltime", "negative")

    def test_validation(self):
        self.assertStateFormat(lambda: CompilerEnvState("", CMD), "benchmark is empty")
        self.assertStateFormat(lambda: CompilerEnvState(QSORT, "  "), "commandline is empty")
        self.assertStateFormat(lambda: CompilerEnvState(1, CMD), "benchmark must be a str")  # type: ignore[arg-type]
        self.assertStateFormat(lambda: CompilerEnvState(QSORT, CMD, walltime=-0.5), "cannot be negative", "-0.5")
        self.assertStateFormat(lambda: CompilerEnvState(QSORT, CMD, walltime="1"), "walltime", "finite number")
        self.assertStateFormat(lambda: CompilerEnvState(QSORT, CMD, reward="x"), "reward", "or None")
        self.assertStateFormat(lambda: CompilerEnvState(QSORT, CMD, reward=True), "reward")
        self.assertStateFormat(lambda: CompilerEnvState(QSORT, CMD, reward=float("nan")), "reward", "finite")
        self.assertStateFormat(lambda: CompilerEnvState(QSORT, CMD, walltime=float("inf")), "walltime", "finite")

    def test_equality_like_compilergym(self):
        a = CompilerEnvState(QSORT, CMD, walltime=1.0, reward=0.5)
        # Wall time is ignored.
        self.assertEqual(a, CompilerEnvState(QSORT, CMD, walltime=99.0, reward=0.5))
        # Absolute reward tolerance 1e-5, strict.
        self.assertEqual(REWARD_EPSILON, 1e-5)
        self.assertEqual(a, CompilerEnvState(QSORT, CMD, reward=0.5 + 9e-6))
        self.assertNotEqual(a, CompilerEnvState(QSORT, CMD, reward=0.5 + 2e-5))
        big = CompilerEnvState(QSORT, CMD, reward=1e6)
        self.assertNotEqual(big, CompilerEnvState(QSORT, CMD, reward=1e6 + 1e-3))  # absolute, not relative
        # A missing reward on either side matches any reward.
        self.assertEqual(a, CompilerEnvState(QSORT, CMD))
        self.assertEqual(CompilerEnvState(QSORT, CMD), a)
        # Benchmark and command line must match exactly.
        self.assertNotEqual(a, CompilerEnvState("benchmark://cbench-v1/crc32", CMD, reward=0.5))
        self.assertNotEqual(a, CompilerEnvState(QSORT, CMD + " ", reward=0.5))
        self.assertFalse(a == "not a state")
        self.assertTrue(a != "not a state")
        self.assertTrue(states_equal(a, CompilerEnvState(QSORT, CMD, reward=0.6), tolerance=0.2))
        self.assertFalse(states_equal(a, CompilerEnvState(QSORT, CMD, reward=0.5 + 9e-6), tolerance=1e-6))

    def test_hash_agrees_with_eq(self):
        a = CompilerEnvState(QSORT, CMD, walltime=1.0, reward=0.5)
        b = CompilerEnvState(QSORT, CMD, walltime=2.0, reward=0.5 + 1e-6)
        self.assertEqual(hash(a), hash(b))
        self.assertEqual(len({a, b}), 1)

    def test_dict_round_trip(self):
        s = CompilerEnvState(QSORT, CMD, walltime=3.2, reward=0.5)
        d = s.to_dict()
        self.assertEqual(list(d), ["benchmark", "commandline", "walltime", "reward"])
        self.assertEqual(d, {"benchmark": QSORT, "commandline": CMD, "walltime": 3.2, "reward": 0.5})
        t = CompilerEnvState.from_dict(d)
        self.assertEqual(t, s)
        self.assertEqual(t.walltime, 3.2)
        self.assertEqual(CompilerEnvState.from_dict({"benchmark": QSORT, "commandline": CMD}).walltime, 0.0)

    def test_from_dict_errors(self):
        self.assertStateFormat(lambda: CompilerEnvState.from_dict({"benchmark": QSORT}), "missing", "commandline")
        self.assertStateFormat(lambda: CompilerEnvState.from_dict({"benchmark": QSORT, "commandline": CMD, "rewards": 1}),
                               "unknown key", "rewards", "valid keys: benchmark, commandline, walltime, reward")
        self.assertStateFormat(lambda: CompilerEnvState.from_dict([("benchmark", QSORT)]), "mapping")

    # -- writer -------------------------------------------------------------------------------

    def test_writer_writes_compilergym_format(self):
        buf = io.StringIO(newline="")
        writer = CompilerEnvStateWriter(buf)
        self.assertEqual(buf.getvalue(), "")  # the header comes with the first state
        writer.write_state(CompilerEnvState(QSORT, CMD, walltime=3.2, reward=0.5))
        writer.write_state(CompilerEnvState("benchmark://cbench-v1/crc32", "opt input.bc -o output.bc", walltime=0))
        writer.write_state(CompilerEnvState("generator://csmith-v0/0",
                                            "opt -passes='instcombine,simplifycfg' input.bc -o output.bc",
                                            walltime=12, reward=-1.25), flush=True)
        self.assertEqual(buf.getvalue(), COMPILERGYM_CSV)

    def test_writer_floats_are_repr(self):
        buf = io.StringIO(newline="")
        CompilerEnvStateWriter(buf).write_state(CompilerEnvState(QSORT, CMD, walltime=1e-20, reward=0.1 + 0.2))
        self.assertEqual(buf.getvalue().splitlines()[1], f"{QSORT},0.30000000000000004,1e-20,{CMD}")

    def test_writer_without_header_and_context_manager(self):
        buf = io.StringIO(newline="")
        with CompilerEnvStateWriter(buf, header=False) as writer:
            writer.write_state(CompilerEnvState(QSORT, CMD, walltime=1.5))
            self.assertEqual(buf.getvalue(), f"{QSORT},,1.5,{CMD}\n")
        self.assertTrue(buf.closed)
        self.assertStateFormat(lambda: CompilerEnvStateWriter(io.StringIO()).write_state({"benchmark": QSORT}),
                               "CompilerEnvState")

    def test_states_to_csv(self):
        self.assertEqual(states_to_csv([]), "benchmark,reward,walltime,commandline\n")
        self.assertEqual(states_to_csv(parse_states_csv(COMPILERGYM_CSV)), COMPILERGYM_CSV)

    # -- reader -------------------------------------------------------------------------------

    def test_round_trip(self):
        states = [
            CompilerEnvState(QSORT, CMD, walltime=3.2, reward=0.5),
            CompilerEnvState("benchmark://cbench-v1/crc32", "opt input.bc -o output.bc", walltime=0.0),
            CompilerEnvState("benchmark://npb-v0/1", 'opt -passes="a,b" \'x y\' input.bc -o output.bc',
                             walltime=1e-20, reward=0.1 + 0.2),
        ]
        buf = io.StringIO(newline="")
        writer = CompilerEnvStateWriter(buf)
        for s in states:
            writer.write_state(s)
        back = read(buf.getvalue())
        self.assertEqual(back, states)
        # Exact, not just within tolerance.
        self.assertEqual([s.to_dict() for s in back], [s.to_dict() for s in states])

    def test_reads_compilergym_file(self):
        states = read(COMPILERGYM_CSV)
        self.assertEqual([s.to_dict() for s in states], [
            {"benchmark": QSORT, "commandline": CMD, "walltime": 3.2, "reward": 0.5},
            {"benchmark": "benchmark://cbench-v1/crc32", "commandline": "opt input.bc -o output.bc",
             "walltime": 0.0, "reward": None},
            {"benchmark": "generator://csmith-v0/0",
             "commandline": "opt -passes='instcombine,simplifycfg' input.bc -o output.bc",
             "walltime": 12.0, "reward": -1.25},
        ])

    def test_reordered_columns_and_case_insensitive_header(self):
        text = "Commandline,WALLTIME,benchmark,Reward\n" f"{CMD},3.2,{QSORT},0.5\n"
        [s] = read(text)
        self.assertEqual(s.to_dict(), {"benchmark": QSORT, "commandline": CMD, "walltime": 3.2, "reward": 0.5})

    def test_headerless_rows_in_compilergym_order(self):
        [s] = read(f"{QSORT},0.5,3.2,{CMD}\n")
        self.assertEqual((s.benchmark, s.reward, s.walltime, s.commandline), (QSORT, 0.5, 3.2, CMD))
        self.assertStateFormat(lambda: read(f"{QSORT},0.5,{CMD}\n"), "line 1", "3 field(s), expected 4")

    def test_empty_reward_and_walltime(self):
        [s] = read(f"benchmark,reward,walltime,commandline\n{QSORT},,,{CMD}\n")
        self.assertIsNone(s.reward)
        self.assertFalse(s.has_reward)
        self.assertEqual(s.walltime, 0.0)

    def test_optional_columns_may_be_omitted(self):
        [s] = read(f"commandline,benchmark\n{CMD},{QSORT}\n")
        self.assertEqual((s.reward, s.walltime), (None, 0.0))

    def test_whitespace_and_blank_lines(self):
        text = textwrap.dedent(f"""\

             benchmark , reward , walltime , commandline

            {QSORT} , 0.5 ,  3.2 , "opt -passes='a,b' input.bc -o output.bc"
            \t
            {QSORT},1,2,{CMD}   \r
            """)
        a, b = read(text)
        self.assertEqual(a.to_dict(), {"benchmark": QSORT, "commandline": "opt -passes='a,b' input.bc -o output.bc",
                                       "walltime": 3.2, "reward": 0.5})
        self.assertEqual((b.commandline, b.reward, b.walltime), (CMD, 1.0, 2.0))

    def test_empty_input(self):
        self.assertEqual(read(""), [])
        self.assertEqual(read("benchmark,reward,walltime,commandline\n"), [])
        self.assertEqual(read("\n\n"), [])

    def test_bad_reward_names_the_line(self):
        text = COMPILERGYM_CSV + f"{QSORT},fast,1.0,{CMD}\n"
        e = self.assertStateFormat(lambda: read(text), "state CSV line 5", "reward 'fast' is not a number",
                                   "empty field for no reward")
        self.assertEqual(str(e), f"STATE_FORMAT: {e.message}")
        self.assertStateFormat(lambda: read(text, name="results.csv"), "state CSV 'results.csv' line 5")
        # The line of a row after a quoted field that spans two lines.
        text = f'benchmark,reward,walltime,commandline\n{QSORT},1,1,"opt\ninput.bc"\n{QSORT},nan,1,{CMD}\n'
        self.assertStateFormat(lambda: read(text), "line 4", "reward", "finite")

    def test_states_before_a_bad_row_are_yielded(self):
        it = iter(CompilerEnvStateReader(io.StringIO(COMPILERGYM_CSV + f"{QSORT},x,1,{CMD}\n")))
        self.assertEqual(len([next(it) for _ in range(3)]), 3)
        self.assertStateFormat(lambda: next(it), "line 5")

    def test_bad_rows(self):
        h = "benchmark,reward,walltime,commandline\n"
        self.assertStateFormat(lambda: read(h + f"{QSORT},0.5,-1,{CMD}\n"), "line 2", "cannot be negative")
        self.assertStateFormat(lambda: read(h + f"{QSORT},0.5,soon,{CMD}\n"), "line 2", "walltime 'soon'")
        self.assertStateFormat(lambda: read(h + f",0.5,1,{CMD}\n"), "line 2", "benchmark is empty")
        self.assertStateFormat(lambda: read(h + f"{QSORT},0.5,1,\n"), "line 2", "commandline is empty")
        self.assertStateFormat(lambda: read(h + f"{QSORT},0.5,1\n"), "line 2", "3 field(s), expected 4")
        self.assertStateFormat(lambda: read(h + f"{QSORT},0.5,1,{CMD},extra\n"), "line 2", "5 field(s)")

    def test_bad_headers(self):
        self.assertStateFormat(lambda: read(f"benchmark,reward,walltime\n{QSORT},1,1\n"),
                               "line 1", "lacks required column(s) commandline")
        self.assertStateFormat(lambda: read(f"reward,walltime,commandline\n1,1,{CMD}\n"),
                               "line 1", "lacks required column(s) benchmark")
        self.assertStateFormat(lambda: read("benchmark,reward,time,commandline\n"),
                               "line 1", "unknown column(s) 'time'", "benchmark,reward,walltime,commandline")
        self.assertStateFormat(lambda: read("benchmark,benchmark,commandline\n"), "duplicate column(s) benchmark")
        self.assertStateFormat(lambda: read(f"\n\nbenchmark,reward\n{QSORT},1\n"), "line 3", "commandline")

    def test_reader_context_manager_closes(self):
        f = io.StringIO(COMPILERGYM_CSV)
        with CompilerEnvStateReader(f) as reader:
            self.assertEqual(len(list(reader)), 3)
        self.assertTrue(f.closed)

    def test_parse_states_csv(self):
        self.assertEqual(len(parse_states_csv(COMPILERGYM_CSV)), 3)
        self.assertEqual(tuple(STATE_CSV_HEADER), ("benchmark", "reward", "walltime", "commandline"))

    # -- read_paths ---------------------------------------------------------------------------

    def test_read_paths_files(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.csv"), os.path.join(d, "b.csv")
            Path(a).write_text(COMPILERGYM_CSV)
            Path(b).write_text(f"{QSORT},2,1,{CMD}\n")  # headerless
            states = list(read_paths([a, b]))
            self.assertEqual([s.reward for s in states], [0.5, None, -1.25, 2.0])
            self.assertEqual(list(CompilerEnvStateReader.read_paths([b])), states[3:])
            Path(b).write_text(f"benchmark,reward,walltime,commandline\n{QSORT},x,1,{CMD}\n")
            self.assertStateFormat(lambda: list(read_paths([b])), f"state CSV {b!r} line 2")
            with self.assertRaises(FileNotFoundError):
                list(read_paths([os.path.join(d, "missing.csv")]))

    def test_read_paths_stdin(self):
        code = ("import sys; sys.path.insert(0, sys.argv[1]); from passgym.state import read_paths; "
                "print([(s.benchmark, s.reward) for s in read_paths(['-'])])")
        out = subprocess.run([sys.executable, "-c", code, str(ROOT / "python")], input=COMPILERGYM_CSV,
                             capture_output=True, text=True, timeout=60, check=True).stdout
        self.assertEqual(out.strip(), repr([(QSORT, 0.5), ("benchmark://cbench-v1/crc32", None),
                                            ("generator://csmith-v0/0", -1.25)]))

    def test_read_paths_url(self):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path != "/results.csv":
                    self.send_error(404)
                    return
                body = COMPILERGYM_CSV.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            base = f"http://127.0.0.1:{server.server_address[1]}"
            self.assertEqual(list(read_paths([f"{base}/results.csv"])), read(COMPILERGYM_CSV))
            with self.assertRaises(OSError):
                list(read_paths([f"{base}/missing.csv"]))
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


if __name__ == "__main__":
    unittest.main()
