import csv
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from essmap import catalogue, query, render
from essmap.model import Source, Structure

ANSWERS = Path(__file__).parent / "fixtures" / "answers.yaml"


def structure(**changes) -> Structure:
    values = dict(
        id="evil",
        name="[bold red]Evil[/] \x1b[31mred\u202e",
        kind="incubateur",
        stages=("creation",),
        description="Ligne 1\nLigne 2 \x9b2J",
        sources=(Source("https://example.org/\x07", "2024"),),
        updated="2026-01-01",
        regions=("bretagne",),
    )
    values.update(changes)
    return Structure(**values)


def rendered(renderable) -> str:
    console = Console(file=io.StringIO(), width=120, force_terminal=True, color_system="truecolor")
    console.print(renderable)
    return console.file.getvalue()


def test_table_prints_markup_literally_and_escapes_controls():
    out = rendered(render.table([structure()]))
    assert "[bold red]Evil[/]" in out
    assert "\\x1b[31mred" in out and "\\u202e" in out
    assert "\x1b[31mred" not in out and "\u202e" not in out


def test_panel_escapes_every_field():
    evil = structure()
    loaded_relations = query.Relations((), (), (), (), (), ())
    out = rendered(render.panel(evil, loaded_relations))
    assert "[bold red]Evil[/]" in out
    assert "\\x9b2J" in out and "\x9b" not in out
    assert "https://example.org/\\x07" in out


def test_json_is_valid_and_escapes_controls():
    text = render.to_json(render.records([structure()]))
    assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
    [record] = json.loads(text)
    assert record["name"] == "[bold red]Evil[/] \x1b[31mred\u202e"
    assert record["stages"] == ["creation"]
    assert record["sources"] == [{"url": "https://example.org/\x07", "date": "2024"}]
    assert record["national"] is False


def test_csv_has_header_and_one_line_rows():
    rows = render.records([structure(), structure(id="b", name="B", description="x", aliases=("a1", "a2"))])
    text = render.to_csv(rows, render.FIELDS)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "name", "aliases"]
    assert len(rows) == 3
    assert "\x1b" not in text and "Ligne 1\\x0aLigne 2" in text
    assert rows[2][2] == "a1; a2"


def test_where_describes_places(monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    assert render.where(structure(national=True, regions=())) == "France entière"
    assert render.where(structure(regions=("bretagne",), departments=("29",))) == "Finistère (29)"
    assert (
        render.where(structure(regions=("bretagne",), departments=("22", "29", "35")))
        == "Bretagne (22, 29, 35)"
    )
    assert render.where(structure(regions=("bretagne", "corse"))) == "Bretagne, Corse"


def test_panel_shows_closed_status_first(mini, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    loaded = catalogue.load(mini)
    closed = structure(status="closed", caveat="Liquidée en 2025.")
    out = rendered(render.panel(closed, query.relations(loaded, closed)))
    assert out.index("Fermée") < out.index("Identifiant")


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_tables_fit_the_terminal_without_cropping(width):
    """From 60 columns up nothing is cut: every line ends on the table's right border, text wraps
    at words, and the less needed columns go first below 120."""
    from rich.console import Console

    loaded = catalogue.load(ANSWERS, use_cache=False)
    structures = list(loaded.structures)
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(render.table(structures, None, width))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= width
    assert all(line.endswith(("┓", "┃", "┩", "│", "┘", "┛", "╯")) for line in lines if line.strip())
    text = " ".join(lines)
    assert all(s.name.split()[0] in text for s in structures)
    assert ("Stages" in text) == (width >= 80) and ("Area (town)" in text) == (width >= 120)


def test_orientation_wraps_at_words_on_a_terminal():
    from essmap import orient, places

    loaded = catalogue.load(ANSWERS, use_cache=False)
    result = orient.orient(loaded, "creation", places.resolve_department("29"), ("financement",))
    text = render.orientation_text(result, 60)
    words = set(render.orientation_text(result).split())
    assert all(len(line) <= 60 or " " not in line.strip() for line in text.splitlines())
    assert set(text.split()) == words  # wrapped, never cut inside a word


def test_find_marks_caveats_and_unverified_entries_with_a_short_note(run):
    out = run("find", "-c", str(ANSWERS), "-r", "normandie", "--include-closed").stdout
    assert "CRESS Normandie [closed] (!)" in out
    assert "    caution: Fermée en 2024 selon sa source." in out
    assert "SOURCES" in out.splitlines()[0] and "2024" in out


def test_plain_text_is_sized_to_its_content_not_to_its_longest_cell(run, write):
    from conftest import catalogue_text, entry

    names = [f"Incubateur {n}" for n in range(7)] + ["Incubateur " + "très long nom " * 6]
    path = write(catalogue_text(*(entry(f"incubateur-{n}", name) for n, name in enumerate(names))))
    lines = run("find", "-c", str(path)).stdout.splitlines()
    assert len(lines[0]) < 110  # the header follows the usual names, not the one long one
    assert any(len(line) > len(lines[0]) for line in lines[1:])  # the long name runs over
