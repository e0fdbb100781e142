"""Hardening: files written safely, neutral exports, any stdout, signals and pipes, linear checks."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, catalogue_text, entry
from essmap import export, render, validate

ANSWERS = FIXTURES / "answers.yaml"
EVIL = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> [x](javascript:alert(1)) *e*'


def evil_catalogue(write) -> Path:
    text = catalogue_text(entry("alpha", "Alpha"), entry("beta", "Beta")).replace(
        "description: Une description.", f"description: '{EVIL.replace(chr(39), chr(39) * 2)}'", 1
    )
    return write(text)


# ---- writing files ------------------------------------------------------------------------


def test_export_replaces_a_link_never_writes_through_it(run, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "structures.json").symlink_to(victim)
    (folder / "structures.csv").symlink_to(tmp_path / "dangling-target")
    result = run("export", str(folder), "-c", str(ANSWERS))
    assert result.exit_code == 0, result.stderr
    assert victim.read_text() == "precious\n" and not (tmp_path / "dangling-target").exists()
    assert not (folder / "structures.json").is_symlink()
    assert json.loads((folder / "structures.json").read_text())["count"] > 0


def test_export_leaves_the_previous_export_whole_when_it_fails(run, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    assert run("export", str(folder), "-c", str(ANSWERS)).exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken(catalogue, temporary):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_fill_database", broken)
    result = run("export", str(folder), "-c", str(FIXTURES / "mini.yaml"))
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temporary file left


def test_export_never_overwrites_a_file_it_did_not_write_without_force(run, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "structures.csv").write_text("my own spreadsheet\n")
    refused = run("export", str(folder), "-c", str(ANSWERS))
    assert refused.exit_code == 2 and "was not written by essmap: add --force" in refused.stderr
    assert (folder / "structures.csv").read_text() == "my own spreadsheet\n"
    assert not (folder / "structures.json").exists()  # nothing written at all
    assert run("export", str(folder), "-c", str(ANSWERS), "--force").exit_code == 0
    assert (folder / "structures.csv").read_text().startswith("id,name,")
    assert run("export", str(folder), "-c", str(ANSWERS)).exit_code == 0  # its own files: no --force


def test_the_catalogue_in_use_is_never_overwritten(run, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    catalogue = folder / "structures.json"
    catalogue.write_text(ANSWERS.read_text())
    for args in (["export", str(folder), "--force"], ["map", "--svg", str(catalogue), "--force"]):
        result = run(*args, "-c", str(catalogue))
        assert result.exit_code == 2 and "is the catalogue in use" in result.stderr
        assert catalogue.read_text() == ANSWERS.read_text()


def test_map_svg_refuses_a_foreign_file_replaces_its_own_and_dash_is_stdout(run, tmp_path):
    mine = tmp_path / "map.svg"
    assert run("map", "--svg", str(mine), "-c", str(ANSWERS)).exit_code == 0
    assert run("map", "--svg", str(mine), "-c", str(ANSWERS)).exit_code == 0
    other = tmp_path / "notes.txt"
    other.write_text("mine\n")
    assert (
        run("map", "--svg", str(other), "-c", str(ANSWERS)).exit_code == 2 and other.read_text() == "mine\n"
    )
    out = run("map", "--svg", "-", "-c", str(ANSWERS))
    assert out.exit_code == 0 and "<svg" in out.stdout and not Path("-").exists()
    assert run("export", "-", "-c", str(ANSWERS)).exit_code == 2


# ---- neutral exports ----------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(run, write, tmp_path):
    path = evil_catalogue(write)
    for text in (
        run("find", "-c", str(path), "-f", "csv").stdout,
        (export.write(__import__("essmap.catalogue").catalogue.load(path), tmp_path / "x")[1]).read_text(),
    ):
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
        assert "'" + EVIL in cells


def test_validate_warns_on_text_that_begins_like_a_formula(write):
    path = evil_catalogue(write)
    messages = [p.message for p in validate.validate(path, max_age=None)]
    assert any("begins with '='" in m for m in messages)


def test_markdown_output_holds_no_element_from_the_catalogue(run, write):
    from markdown_it import MarkdownIt

    path = evil_catalogue(write)
    text = run("find", "-c", str(path), "-f", "markdown", "--fields", "id,description").stdout
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<table>" in html
    for element in ("<script", "<a ", "<img", "<em>", "<strong>", "<code>"):
        assert element not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---- any stdout ---------------------------------------------------------------------------


def process(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("ESSMAP_CATALOGUE", "LC_ALL", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "essmap", *args],
        env={**environment, **env},
        capture_output=True,
        timeout=120,
    )


@pytest.mark.slow  # one process per case
@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize(
    "args",
    [
        ["find", "--region", "bretagne"],
        ["show", "cress-bretagne"],
        ["coverage"],
        ["map"],
        ["chain", "bretagne"],
        ["orient", "-s", "creation", "-d", "29", "--need", "financement"],
    ],
)
def test_any_output_encoding_gets_text_never_a_traceback(args, encoding):
    result = process(*args, "-c", str(ANSWERS), PYTHONIOENCODING=encoding, PYTHONUTF8="0")
    assert result.returncode == 0, result.stderr.decode(encoding, "replace")
    assert b"Traceback" not in result.stderr and result.stdout


# ---- signals and pipes --------------------------------------------------------------------


@pytest.mark.slow  # one process per case
@pytest.mark.parametrize("delay", [0.05, 0.1, 0.2])
def test_ctrl_c_exits_130_with_one_line(delay, tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-m", "essmap", "find", "incubateur", "-c", str(ANSWERS), "--no-cache"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "ESSMAP_CATALOGUE"},
    )
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    if child.returncode == 0:
        pytest.skip("finished before the signal")
    assert child.returncode == 130
    assert stderr.decode().strip() == "essmap: interrupted"


@pytest.mark.slow  # one process per case
@pytest.mark.parametrize(
    "args",
    [["find", "--region", "bretagne"], ["show", "cress-bretagne"], ["map"], ["chain", "29"], ["--help"]],
)
def test_a_closed_pipe_ends_every_command_alike(args):
    """Like cat: SIGPIPE, no message, whatever the command (status 141 in a shell)."""
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before essmap writes a byte
    try:
        result = subprocess.run(
            [sys.executable, "-m", "essmap", *args],
            stdout=writer,
            stderr=subprocess.PIPE,
            env={k: v for k, v in os.environ.items() if k != "ESSMAP_CATALOGUE"},
            timeout=120,
        )
    finally:
        os.close(writer)
    assert result.returncode == -signal.SIGPIPE
    assert b"Traceback" not in result.stderr and b"Exception" not in result.stderr


# ---- linear checks ------------------------------------------------------------------------


def test_the_near_duplicate_check_grows_linearly(write, monkeypatch):
    """Names sharing their first words were compared all with all; now each with a few neighbours."""
    import rapidfuzz.fuzz

    calls = 0
    real = rapidfuzz.fuzz.ratio

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(rapidfuzz.fuzz, "ratio", counting)
    n = 1500
    path = write(
        catalogue_text(*(entry(f"incubateur-{i}", f"Incubateur du territoire {i:05d}") for i in range(n)))
    )
    validate.validate(path, max_age=None)
    assert 0 < calls <= 2 * validate.NEIGHBOURS * n  # all with all would be n * (n - 1) / 2


def test_repeated_list_values_are_warned_and_shown_once(write, run):
    text = catalogue_text(entry()).replace("stages: [creation]", "stages: [creation, creation]")
    path = write(text)
    assert any("given twice in `stages`" in p.message for p in validate.validate(path, max_age=None))
    shown = json.loads(run("show", "alpha", "-c", str(path), "-f", "json").stdout)
    assert shown["stages"] == ["creation"]


def test_csv_renderer_is_the_export_one():
    assert render.renderer(render.Format.csv).rows([{"id": "=1"}], ("id",)) == "id\n'=1\n"


# ---- text at load -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("id: alpha", "id: Alpha Beta", "is not a slug"),
        ("name: Alpha", 'name: "Alpha\\n::error::forged"', "holds one line"),
        ("carried_by: []", "carried_by: [Not A Slug]", "is not a slug"),
        ("name: Alpha", 'name: "Alpha\\u202eevil"', "control or bidirectional character"),
    ],
)
def test_text_unfit_to_show_is_refused_at_load(write, run, old, new, message):
    text = (
        catalogue_text(entry()).replace("    stages:", "    carried_by: []\n    stages:").replace(old, new, 1)
    )
    result = run("find", "-c", str(write(text)))
    assert result.exit_code == 1 and message in result.stderr


def test_no_catalogue_text_begins_a_line_of_stderr(write, run):
    """A merged body's name, a typo's candidates: catalogue text only ever follows essmap's words."""
    text = catalogue_text(entry("alpha", "::error file=x::forged"), entry("beta", "Beta")).replace(
        "    updated: '2026-01-01'\n",
        "    status: merged\n    replaced_by: [beta]\n    status_source: https://example.org/alpha\n"
        "    updated: '2026-01-01'\n",
        1,
    )
    path = write(text)
    for args in (["show", "alpha"], ["show", "error forged"], ["find", "forged", "--include-closed"]):
        result = run(*args, "-c", str(path))
        assert not any(line.startswith("::") for line in result.stderr.splitlines()), result.stderr


@pytest.mark.parametrize(
    "website,problem",
    [
        ("https://example.org/\n", "not an address"),
        ('https://example.org/"><script>', "not an address"),
        ("https://example.org/](javascript:alert(1))", None),
        ("javascript:alert(1)", "not an http(s) address"),
        ("https://", "not an http(s) address"),
        ("HTTPS://Example.org/", None),
        ("https://fr.wikipedia.org/wiki/Club_d'investisseurs", None),
    ],
)
def test_websites_are_parsed_not_pattern_matched(website, problem):
    from essmap.schema import normal_url, url_problem

    found = url_problem(website)
    assert (found is None) if problem is None else (problem in found)
    if problem is None:
        assert normal_url(website).startswith(("https://", "http://"))


def test_an_upper_case_scheme_is_accepted_and_normalised(write, run):
    path = write(
        catalogue_text(entry()).replace(
            "    description:", "    website: HTTPS://example.org/alpha\n    description:"
        )
    )
    shown = json.loads(run("show", "alpha", "-c", str(path), "-f", "json").stdout)
    assert shown["website"] == "https://example.org/alpha"


def test_a_markdown_link_in_a_website_stays_text(run, write):
    from markdown_it import MarkdownIt

    path = write(
        catalogue_text(entry()).replace(
            "    description:", "    website: https://example.org/](javascript:x)\n    description:"
        )
    )
    out = run("find", "-c", str(path), "-f", "markdown", "--fields", "id,website").stdout
    assert "<a " not in MarkdownIt("commonmark").enable("table").render(out)


# ---- environments -------------------------------------------------------------------------


@pytest.mark.slow  # one process per case
@pytest.mark.parametrize("args", [["show", "le-transfo"], ["chain", "bretagne"], ["map"]])
def test_a_zero_width_terminal_still_gets_the_answer(args):
    result = process(*args, "-c", str(FIXTURES / "mini.yaml"), COLUMNS="0")
    assert result.returncode == 0 and len(result.stdout.decode().strip()) > 40


def test_very_long_lists_are_capped_in_show_with_a_count(write, run, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    aliases = ", ".join(f"Nom {i}" for i in range(500))
    path = write(catalogue_text(entry()).replace("name: Alpha", f"name: Alpha\n    aliases: [{aliases}]"))
    out = run("show", "alpha", "-c", str(path), env={"ESSMAP_CATALOGUE": "", "COLUMNS": "200"}).stdout
    assert "Nom 19" in out and "Nom 20," not in out and "et 480 autres" in out
