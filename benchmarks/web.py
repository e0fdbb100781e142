"""Load `essmap serve` on loopback with a bounded number of requests and clients.

Usage: python benchmarks/web.py [--requests 2000] [--clients 8] [--catalogue PATH]

It starts `essmap serve` as its own process on a free port of 127.0.0.1 (the shipped
catalogue by default), warms it with one request per address, then sends `--requests`
requests from `--clients` threads, each on its own keep-alive connection, cycling through a
fixed mix of addresses: the API's find (with and without text), show and orient, and the
find and structure pages. It prints, per endpoint, the median, p95 and p99 latency, then the
throughput and the server's memory (resident now, and its peak). The machine is shared and
noisy: compare figures of one run, and run it again before believing a change.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ADDRESSES = {
    "api find (filters)": [
        "/api/v1/find?region=bretagne&stage=creation",
        "/api/v1/find?department=59&kind=dla",
    ],
    "api find (text)": [
        "/api/v1/find?q=" + quote("financer mon association à Rennes"),
        "/api/v1/find?q=" + quote("incubateur ESS Lyon"),
        "/api/v1/find?q=" + quote("créer une scop à Lille"),
    ],
    "api show": [
        "/api/v1/structures/cress-bretagne",
        "/api/v1/structures/france-active",
        "/api/v1/structures/dla",
    ],
    "api orient": [
        "/api/v1/orient?stage=creation&place=Brest&need=financement",
        "/api/v1/orient?stage=consolidation&place=Lille&need=diagnostic&need=financement",
    ],
    "page find": ["/trouver?region=bretagne&etape=creation", "/trouver?q=" + quote("coopérative Nantes")],
    "page structure": ["/structures/cress-bretagne", "/structures/le-transfo"],
    "page orient": ["/orienter?etape=creation&lieu=Brest&besoin=financement"],
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def memory(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MB (Linux)."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _sep, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(rest.split()[0]) / 1024
    return found.get("VmRSS", 0.0), found.get("VmHWM", 0.0)


def get(connection: http.client.HTTPConnection, address: str) -> int:
    connection.request("GET", address, headers={"Accept-Language": "fr"})
    response = connection.getresponse()
    response.read()
    return response.status


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--catalogue", default=None)
    options = parser.parse_args()

    port = free_port()
    command = [sys.executable, "-m", "essmap", "serve", "--port", str(port)]
    if options.catalogue:
        command += ["--catalogue", options.catalogue]
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy()
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    print(server.stderr.read().decode() if server.stderr else "", file=sys.stderr)
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        mix = [(name, address) for name, addresses in ADDRESSES.items() for address in addresses]
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _name, address in mix:
            status = get(warm, address)
            if status != 200:
                raise SystemExit(f"{address} answered {status}")
        warm.close()
        before = memory(server.pid)

        timings: dict[str, list[float]] = {name: [] for name in ADDRESSES}
        failures: list[str] = []
        lock = threading.Lock()
        counter = iter(range(options.requests))

        def client() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while True:
                with lock:
                    number = next(counter, None)
                if number is None:
                    break
                name, address = mix[number % len(mix)]
                started = time.perf_counter()
                status = get(connection, address)
                elapsed = time.perf_counter() - started
                with lock:
                    timings[name].append(elapsed)
                    if status != 200:
                        failures.append(f"{address}: {status}")
            connection.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(options.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        after = memory(server.pid)
    finally:
        server.terminate()
        server.wait(10)

    def quantile(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    print(f"essmap serve on loopback: {options.requests} requests from {options.clients} clients")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'endpoint':20} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in timings.items():
        if values:
            print(
                f"{name:20} {len(values):8d} {statistics.median(values) * 1000:10.1f} "
                f"{quantile(values, 0.95):8.1f} {quantile(values, 0.99):8.1f}"
            )
    every = [v for values in timings.values() for v in values]
    print(
        f"{'all':20} {len(every):8d} {statistics.median(every) * 1000:10.1f} {quantile(every, 0.95):8.1f} {quantile(every, 0.99):8.1f}"
    )
    print(f"throughput: {len(every) / elapsed:.0f} requests/s over {elapsed:.1f} s")
    print(
        f"server memory: {before[0]:.0f} MB after warming, {after[0]:.0f} MB after the load (peak {after[1]:.0f} MB)"
    )
    if failures:
        print(f"{len(failures)} failed requests, e.g. {failures[:3]}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
