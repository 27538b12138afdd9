"""The ProGraML program graph (Cummins et al., "ProGraML: A Graph-based Program Representation for
Data Flow Analysis and Compiler Optimizations", ICML 2021) as the ``Programl`` observation gives
it: column arrays ready for a GNN, and conversions to networkx and node-link JSON.

Node types (``node_type``): 0 instruction, 1 variable, 2 constant; edge flows (``edge_flow``):
0 control, 1 data, 2 call (ProGraML's ``Node.Type`` and ``Edge.Flow``). Node 0 is the root
``[external]``. The same class and field names as the TypeScript ``ProgramGraph`` (snake_case).
"""
from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional

import numpy as np

NODE_TYPES = {"INSTRUCTION": 0, "VARIABLE": 1, "CONSTANT": 2}
EDGE_FLOWS = {"CONTROL": 0, "DATA": 1, "CALL": 2}


class ProgramGraph:
    """A ProGraML graph in columns.

    Attributes:
        node_type, node_function, node_block: int32 arrays of shape (N,).
        node_text: N strings: the opcode name (instructions), the type (variables, constants;
            "struct*" for pointers to structs).
        node_full_text: N strings: the printed instruction, "<type> <name>", the printed constant.
        edge_flow, edge_source, edge_target, edge_position: int32 arrays of shape (E,).
        functions: [{"name", "module"}] in module order; modules: [{"name", "triple", "data_layout"}].
    """

    def __init__(self, node_type, node_text: List[str], node_full_text: List[str], node_function, node_block,
                 edge_flow, edge_source, edge_target, edge_position, functions: List[dict], modules: List[dict]):
        i32 = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
        self.node_type, self.node_function, self.node_block = i32(node_type), i32(node_function), i32(node_block)
        self.node_text, self.node_full_text = list(node_text), list(node_full_text)
        self.edge_flow, self.edge_source, self.edge_target, self.edge_position = (
            i32(edge_flow), i32(edge_source), i32(edge_target), i32(edge_position))
        self.functions, self.modules = functions, modules

    @classmethod
    def from_proto(cls, m) -> "ProgramGraph":
        """A ``pb.ProgramGraph`` message (node texts through its text table) as a ProgramGraph."""
        table = list(m.text_table)
        return cls(m.node_type, [table[k] for k in m.node_text], m.node_full_text, m.node_function, m.node_block,
                   m.edge_flow, m.edge_source, m.edge_target, m.edge_position,
                   [{"name": f.name, "module": f.module} for f in m.functions],
                   [{"name": x.name, "triple": x.triple, "data_layout": x.data_layout} for x in m.modules])

    @property
    def num_nodes(self) -> int:
        return len(self.node_type)

    @property
    def num_edges(self) -> int:
        return len(self.edge_flow)

    def edge_index(self, flow: Optional[int] = None) -> np.ndarray:
        """int64 array of shape (2, E_flow): sources and targets of the edges of ``flow`` (0 control,
        1 data, 2 call), or of all edges when ``flow`` is None, in graph order (PyG's ``edge_index``)."""
        keep = slice(None) if flow is None else self.edge_flow == flow
        return np.stack([self.edge_source[keep], self.edge_target[keep]]).astype(np.int64)

    def edge_positions(self, flow: Optional[int] = None) -> np.ndarray:
        """int64 array of shape (E_flow,): the positions of the edges ``edge_index(flow)`` lists."""
        return (self.edge_position if flow is None else self.edge_position[self.edge_flow == flow]).astype(np.int64)

    def node_text_ids(self, vocabulary: Dict[str, int], unknown: Optional[int] = None) -> np.ndarray:
        """int64 array of shape (N,): each node's text looked up in ``vocabulary`` (``unknown``, by
        default ``len(vocabulary)``, for texts it lacks), ProGraML's node embedding key."""
        unk = len(vocabulary) if unknown is None else unknown
        return np.fromiter((vocabulary.get(t, unk) for t in self.node_text), dtype=np.int64, count=self.num_nodes)

    def to_json(self) -> dict:
        """The node-link JSON of CompilerGym's ProgramlJson (networkx ``node_link_data``); each
        link's ``key`` counts the earlier links between the same two nodes, so none merge."""
        keys: Dict[tuple, int] = {}
        links = []
        for f, s, t, p in zip(self.edge_flow.tolist(), self.edge_source.tolist(), self.edge_target.tolist(), self.edge_position.tolist()):
            k = keys.get((s, t), 0)
            keys[(s, t)] = k + 1
            links.append({"flow": f, "key": k, "position": p, "source": s, "target": t})
        nodes = []
        for i, (ty, text, full, fn, bl) in enumerate(zip(self.node_type.tolist(), self.node_text, self.node_full_text,
                                                         self.node_function.tolist(), self.node_block.tolist())):
            node = {"block": bl, "function": fn, "id": i, "text": text, "type": ty}
            if i:
                node["features"] = {"full_text": [full]}
            nodes.append(node)
        return {
            "directed": True, "multigraph": True,
            "graph": {"function": [dict(f) for f in self.functions],
                      "module": [{"name": m["name"], "features": {"llvm_data_layout": [m["data_layout"]], "llvm_target_triple": [m["triple"]]}}
                                 for m in self.modules]},
            "nodes": nodes, "links": links,
        }

    def to_networkx(self):
        """A ``networkx.MultiDiGraph``: node attributes ``type``, ``text``, ``function``, ``block``,
        ``features`` = {"full_text": [...]} (not on the root); edge attributes ``flow``, ``position``
        (parallel edges kept); graph attributes ``function`` and ``module`` (CompilerGym's Programl).

        Raises:
            ImportError: without networkx (Debian: python3-networkx).
        """
        import networkx as nx

        g = nx.MultiDiGraph()
        data = self.to_json()
        g.graph.update(data["graph"])
        for node in data["nodes"]:
            attrs = dict(node)
            g.add_node(attrs.pop("id"), **attrs)
        for link in data["links"]:
            g.add_edge(link["source"], link["target"], key=link["key"], flow=link["flow"], position=link["position"])
        return g

    def __repr__(self) -> str:
        return f"ProgramGraph({self.num_nodes} nodes, {self.num_edges} edges)"


def networkx_available() -> bool:
    try:
        import networkx  # noqa: F401
        return True
    except ImportError:
        return False


class LexedToken(NamedTuple):
    """One token of LexedIrTuple (CompilerGym's ``LexedToken``)."""

    ID: int
    kind: str
    category: str
    value: str
