"""Time essmap as whole processes, against the interpreter's and the framework's floors.

Usage: python benchmarks/run.py [--runs 7] [--sizes 1000,10000,50000]

In one run it generates synthetic catalogues (benchmarks/synthetic.py, fixed seed),
then times every command several times, alternating commands so that a noisy
machine slows them all alike, and prints medians as ratios to `python -c pass` and
`python -c "import typer"`, with each process's peak memory.

The package is byte-compiled first, as pip does when it installs a wheel: an editable
install under PYTHONDONTWRITEBYTECODE would otherwise compile every module on every call
and measure the compiler, not essmap.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB) of one process whose output goes to a pipe."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        raise SystemExit(f"failed ({process.returncode}): {' '.join(argv)}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1000,10000,50000")
    args = parser.parse_args()
    python = sys.executable
    essmap = [python, "-m", "essmap"]
    spec = importlib.util.find_spec("essmap")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)
    work = Path(tempfile.mkdtemp(prefix="essmap-bench-"))
    env = dict(os.environ, NO_COLOR="1", XDG_CACHE_HOME=str(work / "cache"))
    env.pop("ESSMAP_CATALOGUE", None)

    catalogues = {"shipped": None}
    for size in (int(s) for s in args.sizes.split(",") if s):
        path = work / f"synthetic-{size}.yaml"
        # In a child process, so that this one stays small: a forked child's peak memory counts the parent's.
        subprocess.run([python, str(HERE / "synthetic.py"), str(size), str(path)], check=True, env=env)
        catalogues[f"{size:,}"] = path

    cases: list[tuple[str, str, list[str], bool]] = [
        ("python -c pass", "", [python, "-c", "pass"], False),
        ("python -c 'import typer'", "", [python, "-c", "import typer"], False),
    ]
    for label, path in catalogues.items():
        where = [] if path is None else ["--catalogue", str(path)]
        for name, command in (
            (
                "find --region bretagne --stage creation",
                ["find", "--region", "bretagne", "--stage", "creation"],
            ),
            ('find "incubateur toulouse"', ["find", "incubateur toulouse"]),
            ("show transfo", ["show", "transfo" if path is None else "structure-7"]),
        ):
            cases.append((name, label, essmap + command + where, False))
        cases.append(
            (
                "find --region bretagne --stage creation (cold cache)",
                label,
                essmap + ["find", "--region", "bretagne", "--stage", "creation"] + where,
                True,
            )
        )
        cases.append(
            ("validate", label, essmap + ["validate"] + ([] if path is None else [str(path)]), False)
        )

    for _, _, argv, _ in cases:  # warm every cache once
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    times: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    peaks: dict[int, float] = {i: 0.0 for i in range(len(cases))}
    cold_env = dict(env, XDG_CACHE_HOME=str(work / "cold-cache"))
    for _ in range(args.runs):
        for i, (_, _, argv, cold) in enumerate(cases):
            if cold:
                shutil.rmtree(work / "cold-cache", ignore_errors=True)
            elapsed, peak = timed(argv, cold_env if cold else env)
            times[i].append(elapsed)
            peaks[i] = max(peaks[i], peak)

    medians = {i: statistics.median(t) for i, t in times.items()}
    floor, typer_floor = medians[0], medians[1]
    print(
        f"essmap benchmark: {args.runs} runs each, medians, output to a pipe; {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print(f"{'command':<55} {'catalogue':>9} {'median s':>9} {'x pass':>7} {'x typer':>8} {'peak MB':>8}")
    for i, (name, label, _, _) in enumerate(cases):
        print(
            f"{name:<55} {label:>9} {medians[i]:>9.3f} {medians[i] / floor:>7.1f} "
            f"{medians[i] / typer_floor:>8.2f} {peaks[i]:>8.0f}"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
