from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essmap.cli import app

FIXTURES = Path(__file__).parent / "fixtures"

# The interface's language is English unless a test asks for French (ESSMAP_LANG=fr); the machine's
# own locale never decides what a test sees.
os.environ["ESSMAP_LANG"] = "en"

# Never the user's cache, even for fixtures set up before the per-test one below; removed at exit.
os.environ["XDG_CACHE_HOME"] = _SESSION_CACHE = tempfile.mkdtemp(prefix="essmap-test-cache-")
atexit.register(shutil.rmtree, _SESSION_CACHE, ignore_errors=True)
MINI = FIXTURES / "mini.yaml"


def pytest_collection_modifyitems(items):
    """Property tests (hypothesis) are slow by nature: they belong to the full run, not the loop."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own cache folder, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "essmap"


@pytest.fixture
def mini() -> Path:
    return MINI


@pytest.fixture
def run():
    """Run the real CLI in-process; returns the Result (stdout, stderr, exit_code)."""
    runner = CliRunner()

    def invoke(*args: str, env: dict | None = None, input: str | None = None):
        return runner.invoke(app, list(args), env=env or {"ESSMAP_CATALOGUE": str(MINI)}, input=input)

    return invoke


@pytest.fixture
def write(tmp_path):
    """Write a catalogue file from dedented YAML text; returns its path."""

    def writer(text: str, name: str = "catalogue.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return writer


ENTRY = """\
  - id: {id}
    name: {name}
    kind: incubateur
    stages: [creation]
    regions: [bretagne]
    description: Une description.
    sources:
      - url: https://example.org/{id}
        date: '2024-01'
    updated: '2026-01-01'
"""


def entry(id: str = "alpha", name: str = "Alpha") -> str:
    return ENTRY.format(id=id, name=name)


def catalogue_text(*entries: str) -> str:
    return "structures:\n" + "".join(entries)
