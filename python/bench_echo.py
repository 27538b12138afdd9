"""Median round trip of a bare ZeroMQ echo, for ``passgym bench service``: the transport's floor.

Usage: /usr/bin/python3 python/bench_echo.py ENDPOINT [COUNT]
  ENDPOINT: a ROUTER that sends every message back (the bench starts one in Node, as the server is).
Sends COUNT (default 2000) 64-byte messages from a DEALER, one at a time, as the client sends
requests; the first 10% are warm-up. Prints one JSON line: {"median_echo_ms": ..., "count": ...}.
"""
import json
import statistics
import sys
import time

import zmq


def main() -> None:
    endpoint = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    socket = zmq.Context.instance().socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    message = bytes(64)
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        socket.send(message)
        if not socket.poll(10_000, zmq.POLLIN):
            raise SystemExit(f"no echo from {endpoint} within 10 s")
        socket.recv()
        times.append((time.perf_counter() - t0) * 1000)
    socket.close()
    print(json.dumps({"median_echo_ms": statistics.median(times[count // 10:]), "count": count}))


if __name__ == "__main__":
    main()
