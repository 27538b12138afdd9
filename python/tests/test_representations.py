"""Programl and Inst2vec from Python: the networkx and numpy forms of one graph agree, the graph
survives the trip through node-link JSON, the inst2vec artifact loads and refuses a damaged copy,
and the two examples of docs/observations.md run as the README says.

    /usr/bin/python3 -m unittest python/tests/test_representations.py -v
"""
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import numpy as np  # noqa: E402

import passgym  # noqa: E402
from passgym import Inst2vecEncoder, PassGymError, ProgramGraph  # noqa: E402
from passgym.programl import networkx_available  # noqa: E402

HAVE_SERVER = bool(shutil.which("node")) and (ROOT / "dist" / "scripts" / "cli.js").is_file()


@unittest.skipUnless(HAVE_SERVER, "needs node and npm run build")
class ProgramlTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.env = passgym.make("llvm-v0", benchmark="benchmark://embedded-v0/crc32")
        cls.env.reset()
        cls.graph = cls.env.programl()

    @classmethod
    def tearDownClass(cls):
        cls.env.close()

    def test_columns_are_numpy_arrays_ready_for_a_gnn(self):
        g = self.graph
        self.assertIsInstance(g, ProgramGraph)
        self.assertEqual(g.node_type.shape, (g.num_nodes,))
        self.assertEqual(set(np.unique(g.node_type)), {0, 1, 2})
        total = 0
        for flow in range(3):
            ei, pos = g.edge_index(flow), g.edge_positions(flow)
            self.assertEqual(ei.dtype, np.int64)
            self.assertEqual(ei.shape[0], 2)
            self.assertEqual(pos.shape, (ei.shape[1],))
            self.assertTrue(((ei >= 0) & (ei < g.num_nodes)).all())
            total += ei.shape[1]
        self.assertEqual(total, g.num_edges)
        # Data edges join instructions and variables/constants, never two instructions.
        src, dst = g.edge_index(1)
        self.assertFalse(((g.node_type[src] == 0) & (g.node_type[dst] == 0)).any())
        vocab = {"add": 0, "i32": 1}
        ids = g.node_text_ids(vocab)
        self.assertEqual(ids.shape, (g.num_nodes,))
        self.assertTrue(set(np.unique(ids)) <= {0, 1, 2})

    def test_node_link_json_is_the_same_graph(self):
        data = self.graph.to_json()
        self.assertEqual(len(data["nodes"]), self.graph.num_nodes)
        self.assertEqual(len(data["links"]), self.graph.num_edges)
        served = self.env.observation["ProgramlJson"]
        self.assertEqual(len(served["nodes"]), self.graph.num_nodes)
        self.assertEqual(sorted((l["source"], l["target"], l["flow"], l["position"]) for l in served["links"]),
                         sorted(zip(*(a.tolist() for a in (self.graph.edge_source, self.graph.edge_target,
                                                           self.graph.edge_flow, self.graph.edge_position)))))

    @unittest.skipUnless(networkx_available(), "needs networkx (Debian python3-networkx)")
    def test_networkx_graph_matches_the_columns(self):
        import networkx as nx
        g = self.env.observation["Programl"]
        self.assertIsInstance(g, nx.MultiDiGraph)
        self.assertEqual(g.number_of_nodes(), self.graph.num_nodes)
        self.assertEqual(g.number_of_edges(), self.graph.num_edges)
        for flow in range(3):
            self.assertEqual(sum(1 for *_, d in g.edges(data=True) if d["flow"] == flow), self.graph.edge_index(flow).shape[1])
        k = int(np.flatnonzero(self.graph.node_type == 0)[5])
        self.assertEqual(g.nodes[k]["text"], self.graph.node_text[k])
        self.assertEqual(g.nodes[k]["features"]["full_text"], [self.graph.node_full_text[k]])
        # ProgramlJson read back by networkx gives the same multigraph.
        data = self.env.observation["ProgramlJson"]
        try:
            h = nx.node_link_graph(data, edges="links")  # networkx >= 3.4
        except TypeError:
            h = nx.node_link_graph(data)  # networkx 2.x/3.x before 3.4: "links" is the default
        self.assertEqual(h.number_of_edges(), g.number_of_edges())


@unittest.skipUnless(HAVE_SERVER, "needs node and npm run build")
class Inst2vecTest(unittest.TestCase):
    def test_the_shipped_artifact(self):
        enc = Inst2vecEncoder()
        self.assertRegex(enc.version, r"^passgym-inst2vec-v\d+$")
        self.assertEqual(enc.vocab["!UNK"], 0)
        self.assertEqual(enc.unknown_index, 0)
        self.assertEqual(enc.embeddings.shape, (len(enc.vocab), 200))
        self.assertEqual(enc.embeddings.dtype, np.float32)
        self.assertEqual(enc.encode(["no such statement", enc.vocabulary[7]]), [0, 7])
        self.assertEqual(enc.embed([7, 0]).shape, (2, 200))
        with self.assertRaisesRegex(IndexError, "outside the vocabulary"):
            enc.embed([-1])
        with self.assertRaisesRegex(IndexError, "outside the vocabulary"):
            enc.embed([len(enc.vocab)])

    def test_a_damaged_artifact_is_refused_with_the_file_named(self):
        d = Path(tempfile.mkdtemp(prefix="inst2vec-"))
        self.addCleanup(shutil.rmtree, d, True)
        for f in (ROOT / "data" / "inst2vec").iterdir():
            shutil.copy(f, d / f.name)
        vocab = (d / "vocabulary.json").read_bytes()
        (d / "vocabulary.json").write_bytes(vocab.replace(b"!UNK", b"!UNX", 1))
        with self.assertRaisesRegex(PassGymError, r"vocabulary\.json does not match its sha256.*passgym inst2vec build"):
            Inst2vecEncoder(d)
        with self.assertRaisesRegex(PassGymError, r"manifest\.json is missing"):
            Inst2vecEncoder(d / "none")

    def test_typescript_and_python_encode_alike(self):
        with passgym.make("llvm-v0", benchmark="benchmark://embedded-v0/sha256") as env:
            env.reset()
            text = env.observation["Inst2vecPreprocessedText"]
            indices = env.observation["Inst2vecEmbeddingIndices"]
            self.assertEqual(list(indices), env.inst2vec.encode(text))
            # The server's float16 decoding (TypeScript) and the client's (numpy) give the same float32 values.
            np.testing.assert_array_equal(env.observation["Inst2vec"], env.inst2vec.embed(indices))


@unittest.skipUnless(HAVE_SERVER, "needs node and npm run build")
class ExamplesTest(unittest.TestCase):
    def run_example(self, name, *args):
        out = subprocess.run([sys.executable, str(ROOT / "examples" / name), *args], capture_output=True, text=True, timeout=300)
        self.assertEqual(out.returncode, 0, out.stderr[-2000:])
        return out.stdout

    def test_programl_gnn(self):
        out = self.run_example("programl_gnn.py", "--passes", "mem2reg,instcombine")
        self.assertRegex(out, r"\+mem2reg\s+\d+\s+\d+\s+[01]\.\d{4}")
        self.assertRegex(out, r"\+instcombine\s+\d+\s+\d+")
        if networkx_available():
            self.assertIn("networkx:", out)

    def test_inst2vec_indices(self):
        out = self.run_example("inst2vec_indices.py", "--benchmarks", "benchmark://embedded-v0/qsort", "benchmark://embedded-v0/crc32")
        self.assertRegex(out, r"vocabulary passgym-inst2vec-v\d+: \d+ statements, dimension 200")
        self.assertRegex(out, r"embedded-v0/crc32: \d+ statements, \d+\.\d% !UNK")
        self.assertIn("cosine similarity of mean embeddings at -Oz", out)


if __name__ == "__main__":
    unittest.main()
