"""Hostile catalogues and options: a clear message and a documented exit code, in bounded time."""

import json
import os
import resource
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import catalogue_text, entry

pytestmark = pytest.mark.slow  # hostile input at scale: the full run only

VALID = catalogue_text(entry("alpha"), entry("beta", "Beta"))

# name -> (file content as bytes, expected exit code, expected fragment of the message)
CORPUS = {
    "empty": (b"", 1, "the file is empty"),
    "only-comments": (b"# nothing\n", 1, "the file is empty"),
    "not-yaml": (b"structures: [\n  {id: a\n", 1, "YAML does not parse"),
    "plain-text": (b"Hello, I am not a catalogue.\n", 1, "the catalogue must be a mapping"),
    "binary": (bytes(range(256)) * 4, 1, "binary file"),
    "latin-1": ("structures:\n  - name: Créat\n".encode("latin-1"), 1, "2:13: error: not UTF-8 (Latin-1?)"),
    "utf-16": (VALID.encode("utf-16"), 1, "UTF-16"),
    "utf-16-no-bom": (VALID.encode("utf-16-le"), 1, "UTF-16"),
    "utf-8-bom": (b"\xef\xbb\xbf" + VALID.encode(), 0, ""),
    "top-level-list": (b"- id: a\n", 1, "the catalogue must be a mapping"),
    "entries-scalars": (b"structures:\n  - a\n  - 3\n", 1, "3:5: error: an entry must be a mapping"),
    "entries-lists": (b"structures:\n  - [a, b]\n", 1, "2:5: error: an entry must be a mapping"),
    "deep-nesting": (b"structures: " + b"[" * 5000 + b"]" * 5000 + b"\n", 1, "nesting"),
    "deep-mapping": (
        b"structures:\n" + b"".join(b"  " * i + b"a:\n" for i in range(1, 3000)),
        1,
        "nesting deeper than",
    ),
    "python-tag": (b"structures:\n  - !!python/object/apply:os.system ['echo pwned']\n", 1, "YAML tags"),
    "duplicate-keys": (
        VALID.replace("name: Alpha", "name: Alpha\n    name: Again").encode(),
        1,
        "duplicate key `name`",
    ),
    "wrong-types": (
        VALID.replace("stages: [creation]", "stages: {a: 1}").encode(),
        1,
        "`stages` must be a list",
    ),
    "unknown-value": (
        VALID.replace("kind: incubateur", "kind: startup").encode(),
        1,
        "unknown kind 'startup'",
    ),
    "two-documents": (VALID.encode() + b"---\n" + VALID.encode(), 1, "one YAML document"),
    "long-string": (VALID.replace("Une description.", "x" * 5_000_000).encode(), 0, ""),
    "many-entries-bad": (("structures:\n" + "  - {id: a}\n" * 2000).encode(), 1, "missing required field"),
}

BILLION_LAUGHS = b"structures:\n  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + b"".join(
    b"  - &%c [%s]\n" % (ord("b") + i, b", ".join([b"*" + bytes([ord("a") + i])] * 9)) for i in range(9)
)
CORPUS["billion-laughs"] = (BILLION_LAUGHS, 1, "YAML anchors")


def run_cli(args, env_extra=None, timeout=30):
    env = {k: v for k, v in os.environ.items() if k != "ESSMAP_CATALOGUE"}
    env.update(env_extra or {})
    env["NO_COLOR"] = "1"

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (1024 * 1024 * 1024, 1024 * 1024 * 1024))

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "essmap", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=limit_memory,
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_catalogue(tmp_path, name):
    content, code, message = CORPUS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    for command in (["find"], ["validate", str(path)]):
        args = command if command[0] == "validate" else command + ["--catalogue", str(path)]
        result, seconds = run_cli(args)
        assert "Traceback" not in result.stderr
        if command[0] == "find":
            assert result.returncode == code, result.stderr
        else:
            assert result.returncode == (0 if code == 0 else 1), result.stdout
        assert message in result.stderr + result.stdout
        assert seconds < 10


@pytest.mark.parametrize("maker", ["directory", "missing", "huge"])
def test_hostile_paths(tmp_path, maker):
    path = tmp_path / "catalogue.yaml"
    expected = {
        "directory": "is a directory, not a catalogue file",
        "missing": "no such file",
        "huge": "larger than the 100 MiB a catalogue may be",
    }[maker]
    if maker == "directory":
        path.mkdir()
    elif maker == "huge":
        with open(path, "wb") as handle:
            handle.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    result, seconds = run_cli(["find", "--catalogue", str(path)])
    assert result.returncode == 1
    assert result.stderr.strip() == f"essmap: {path}: error: {expected}"
    assert seconds < 10


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text(VALID)
    path.chmod(0)
    result, _ = run_cli(["find", "--catalogue", str(path)])
    assert result.returncode == 1 and "permission denied" in result.stderr


def test_reference_cycles_and_missing_ids_are_followed_safely(tmp_path, run):
    text = catalogue_text(
        entry("alpha").replace("kind: incubateur", "kind: incubateur\n    carried_by: [beta, ghost]"),
        entry("beta", "Beta").replace("kind: incubateur", "kind: incubateur\n    carried_by: [alpha]"),
    )
    path = tmp_path / "cycle.yaml"
    path.write_text(text)
    shown = run("show", "alpha", "-c", str(path))
    assert shown.exit_code == 0
    assert "Beta" in shown.stdout and "ghost" in shown.stdout
    assert run("find", "-c", str(path)).exit_code == 0
    report = run("validate", str(path))
    assert report.exit_code == 1 and "names id 'ghost', which no entry has" in report.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["find", "--regin", "x"],
        ["find", "--region", ""],
        ["find", "--region", "x" * 5000],
        ["find", "--stage", "\x1b[31mcreation\x1b[0m"],
        ["find", "\x1b]0;pwned\x07", "\u202eevil"],
        ["show", ""],
        ["show", "x" * 10000],
        ["find", "--format", "\x9b2J"],
        ["validate", "--format", "xml"],
        ["nonsense"],
    ],
)
def test_hostile_options(run, mini, args):
    result = run(*args, "--catalogue", str(mini)) if args[0] != "validate" else run(*args, str(mini))
    assert result.exit_code in (0, 2)
    assert "Traceback" not in result.output
    for bad in ("\x1b", "\x9b", "\u202e", "\x07"):
        assert bad not in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(["--region", "--department", "--stage", "--theme", "--kind", "--format", "-x"])
        | st.text(),
        max_size=3,
    ),
    st.lists(st.text(max_size=30), max_size=3),
)
def test_random_options_give_documented_exit_codes(run, mini, options, values):
    args = ["find", *[part for pair in zip(options, values) for part in pair], "--catalogue", str(mini)]
    result = run(*args)
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


scalar_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | scalar_text,
        lambda children: st.lists(children, max_size=3) | st.dictionaries(scalar_text, children, max_size=4),
        max_leaves=12,
    )
)
def test_random_documents_never_raise(run, tmp_path_factory, document):
    import yaml

    path = tmp_path_factory.mktemp("doc") / "c.yaml"
    path.write_text(yaml.safe_dump({"structures": [document]}, allow_unicode=True), encoding="utf-8")
    for args in (["find", "-c", str(path)], ["show", "x", "-c", str(path)], ["validate", str(path)]):
        result = run(*args)
        assert result.exit_code in (0, 1, 2)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


printable_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=60
).filter(lambda t: t.strip() == t and t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(printable_text, printable_text)
def test_printable_text_round_trips_literally(run, tmp_path_factory, name, description):
    import yaml

    record = yaml.safe_load(catalogue_text(entry()))
    record["structures"][0].update(name=name, description=description)
    path = tmp_path_factory.mktemp("rt") / "c.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    found = run("find", "--format", "json", "-c", str(path))
    assert found.exit_code == 0, found.output
    [item] = json.loads(found.stdout)
    assert item["name"] == name and item["description"] == description
    shown = run("show", "alpha", "--format", "json", "-c", str(path))
    assert json.loads(shown.stdout)["description"] == description
