"""The README's quick start and examples are the real ones, so they cannot drift."""

import os
import re
from pathlib import Path

from typer.testing import CliRunner

from essmap.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLE = re.compile(r"<!-- example: (?P<args>.+?) -->\n(?:\n```console\n.*?\n```\n)?", re.S)
ENV = {"ESSMAP_CATALOGUE": "", "COLUMNS": "100", "NO_COLOR": "1"}


def rendered_example(args: str) -> str:
    result = CliRunner().invoke(app, args.split(), env=ENV)
    return f"<!-- example: {args} -->\n\n```console\n$ essmap {args}\n{result.output.rstrip()}\n```\n"


def test_examples_are_the_real_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    text = README.read_text(encoding="utf-8")
    expected = EXAMPLE.sub(lambda m: rendered_example(m.group("args")), text)
    if os.environ.get("ESSMAP_UPDATE_README"):
        README.write_text(expected, encoding="utf-8")
    assert len(EXAMPLE.findall(text)) >= 5
    assert text == expected, "README examples drifted: rerun with ESSMAP_UPDATE_README=1"


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", text, re.S).group(1)
    install_and_run, install_and_test = block.strip().splitlines()
    assert install_and_run == "pip install . && essmap find --region bretagne --stage creation"
    assert "pytest" in install_and_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert install_and_test in ci


def test_every_command_is_documented():
    text = README.read_text(encoding="utf-8")
    for command in app.registered_commands:
        assert f"### {command.name or command.callback.__name__}" in text


def test_the_map_picture_is_current(tmp_path):
    picture = ROOT / "docs" / "map-creation.svg"
    fresh = tmp_path / "map.svg"
    result = CliRunner().invoke(app, ["map", "--stage", "creation", "--svg", str(fresh)], env=ENV)
    assert result.exit_code == 0
    if os.environ.get("ESSMAP_UPDATE_README"):
        picture.parent.mkdir(exist_ok=True)
        picture.write_text(fresh.read_text(encoding="utf-8"), encoding="utf-8")
    assert picture.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8")
