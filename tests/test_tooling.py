"""The project's habits are written down and run: pre-commit hooks, CI steps, licences."""

import re
import shlex
from pathlib import Path

import yaml

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]


def test_the_published_hooks_run_essmap_on_catalogue_files(run, write):
    canonical = FIXTURES / "answers.yaml"
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"essmap-validate", "essmap-fmt"}
    broken = write("structures:\n  - id: Bad Id\n")
    for hook in hooks:
        assert hook["language"] == "python"
        pattern = re.compile(hook["files"])
        assert pattern.search("data/structures.yaml") and pattern.search("structures.yml")
        assert not pattern.search("docs/other.yaml")
        program, *args = shlex.split(hook["entry"])
        assert program == "essmap"
        assert run(*args, str(canonical)).exit_code == 0
        assert run(*args, str(broken)).exit_code == 1


def test_contributor_hooks_are_ci_steps():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for hook in config["repos"][0]["hooks"]:
        command = hook["entry"].replace(" --fix", "").replace("ruff format", "ruff format --check")
        assert command.split()[0] in ci, hook["id"]
    for step in (
        "mypy",
        "ruff check",
        "ruff format --check",
        "essmap validate --strict",
        "essmap fmt --check",
    ):
        assert step in ci


def test_ci_tests_every_supported_python():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "for version in 3.11 3.10 3.12 3.13" in ci
    assert "python -m pytest -m ''" in ci


def test_licences_for_code_and_data():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    data = (ROOT / "data" / "LICENSE").read_text(encoding="utf-8")
    assert data.startswith("ODC Open Database License (ODbL)") and "10.4 Choice of law" in data
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT AND ODbL-1.0"' in pyproject
