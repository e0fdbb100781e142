"""Regenerate the README's examples and the map picture from the shipped catalogue.

Usage: python scripts/update_examples.py [--check]

Every `<!-- example: ARGS -->` in README.md is followed by the real output of `essmap ARGS`,
run from an empty folder (where `data/` is the repository's) so that written files land there,
at a fixed width and without
colour; docs/map-creation.svg is the real `essmap map --stage creation --svg`. A catalogue
edit changes these outputs: run this script once, and commit what it writes. With --check,
nothing is written and the exit code is 1 when something is out of date (CI runs this).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from essmap.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PICTURE = ROOT / "docs" / "map-creation.svg"
EXAMPLE = re.compile(r"<!-- example: (?P<args>.+?) -->\n(?:\n```console\n.*?\n```\n)?", re.S)
ENV = {"ESSMAP_CATALOGUE": "", "COLUMNS": "100", "NO_COLOR": "1", "ESSMAP_LANG": "en"}


def split(example: str) -> tuple[dict[str, str], list[str]]:
    """An example's leading NAME=value words (its environment, e.g. ESSMAP_LANG=fr), and its arguments."""
    words = example.split()
    env = {}
    while words and "=" in words[0] and words[0].split("=")[0].isupper():
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return env, words


def run(args: list[str], folder: Path, env: dict[str, str] | None = None):
    """The CLI's result for `args`, run from `folder` with the example environment."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(app, args, env={**ENV, **(env or {})})
    finally:
        os.chdir(here)


def rendered(example: str, folder: Path) -> str:
    env, args = split(example)
    result = run(args, folder, env)
    if result.exit_code != 0:
        raise SystemExit(f"example `essmap {example}` exited {result.exit_code}:\n{result.output}")
    prefix = "".join(f"{name}={value} " for name, value in env.items())
    shown = f"{prefix}essmap {' '.join(args)}"
    return f"<!-- example: {example} -->\n\n```console\n$ {shown}\n{result.output.rstrip()}\n```\n"


def examples(text: str) -> list[str]:
    return [m.group("args") for m in EXAMPLE.finditer(text)]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    with tempfile.TemporaryDirectory(prefix="essmap-examples-") as work:
        folder = Path(work)
        (folder / "data").symlink_to(ROOT / "data", target_is_directory=True)
        text = README.read_text(encoding="utf-8")
        fresh = EXAMPLE.sub(lambda m: rendered(m.group("args"), folder), text)
        picture = folder / "map.svg"
        run(["map", "--stage", "creation", "--svg", str(picture)], folder)
        svg = picture.read_text(encoding="utf-8")
    if fresh != text:
        stale.append(README)
    if not PICTURE.is_file() or PICTURE.read_text(encoding="utf-8") != svg:
        stale.append(PICTURE)
    if check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python scripts/update_examples.py")
        return 1 if stale else 0
    README.write_text(fresh, encoding="utf-8")
    PICTURE.write_text(svg, encoding="utf-8")
    print(f"{len(examples(text))} examples and the map picture written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
