"""Gaps, chains, the map and open exports (core API and CLI)."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest

from essmap import catalogue, coverage, geo, maps, places, render


@pytest.fixture(scope="module")
def loaded():
    from conftest import MINI

    return catalogue.load(MINI, use_cache=False)


def test_coverage_by_region_counts_and_order(loaded):
    result = coverage.coverage(loaded)
    rows = {row.place.id: row.counts for row in result.rows}
    assert rows["bourgogne-franche-comte"] == {"creation": 2, "consolidation": 1, "changement-echelle": 0}
    assert rows["ile-de-france"] == {
        "creation": 0,
        "consolidation": 0,
        "changement-echelle": 0,
    }  # closed left out
    assert result.national == {"creation": 1, "consolidation": 1, "changement-echelle": 1}
    worst = [row.worst for row in result.rows]
    assert worst == sorted(worst)
    assert result.rows[-1].place.id == "bourgogne-franche-comte"


def test_coverage_by_department_and_summary(loaded):
    result = coverage.coverage(loaded, "department", ("creation",))
    rows = {row.place.id: row.counts["creation"] for row in result.rows}
    assert (rows["25"], rows["21"], rows["29"], rows["31"], rows["75"]) == (2, 1, 1, 1, 0)
    assert len(result.rows) == 101
    assert result.empty_departments == {"creation": 101 - 8 - 1 - 1}


def test_coverage_narrowed_by_kind(loaded):
    result = coverage.coverage(loaded, kinds=("financeur",))
    rows = {row.place.id: row.counts for row in result.rows}
    assert rows["bourgogne-franche-comte"]["creation"] == 1


def test_chain_heads_stages_and_links(loaded):
    result = coverage.chain(loaded, places.resolve_region("bourgogne-franche-comte"))
    assert result.heads == []
    creation = [link.structure.id for link in result.stages["creation"]]
    assert creation == ["le-transfo", "france-active-franche-comte"]
    transfo = result.stages["creation"][0]
    assert [s.id for s in transfo.carried_by] == ["france-active-franche-comte"]
    assert [s.id for s in result.stages["creation"][1].member_of] == ["france-active"]


def test_stale_lists_old_entries_by_region(loaded):
    found = coverage.stale(loaded, today=dt.date(2029, 1, 1))
    assert set(found) == {"bourgogne-franche-comte", "bretagne", "occitanie", "ile-de-france", "national"}
    assert coverage.stale(loaded, today=dt.date(2027, 1, 1)) == {}


def test_layout_gives_each_department_its_own_tile():
    tiles = maps.layout()
    assert set(tiles) == set(geo.DEPARTMENT_BY_CODE)
    assert len(set(tiles.values())) == 101
    assert tiles["29"][0] < tiles["67"][0]  # Finistère west of the Bas-Rhin
    assert tiles["59"][1] < tiles["66"][1]  # Nord north of the Pyrénées-Orientales


def test_svg_has_one_tile_per_department_with_its_count(run, mini, tmp_path, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    target = tmp_path / "map.svg"
    result = run("map", "--stage", "creation", "--svg", str(target), "-c", str(mini))
    assert result.exit_code == 0
    root = ET.parse(target).getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    tiles = root.findall("svg:g[@class='department']", ns)
    assert len(tiles) == 101
    counts = {g.get("data-code"): int(g.get("data-count")) for g in tiles}
    assert (counts["25"], counts["21"], counts["29"], counts["75"]) == (2, 1, 1, 0)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any("Création" in (t or "") for t in texts)
    assert any("2026-11-27" in (t or "") for t in texts)


def test_terminal_map_numbers_readable_without_colour(run, mini):
    result = run("map", "-c", str(mini), env={"ESSMAP_CATALOGUE": "", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    code_line = next(i for i, line in enumerate(lines) if " 25 " in f" {line} ")
    column = lines[code_line].index("25")
    assert lines[code_line + 1][column : column + 2].strip() == "2"


def test_cli_coverage_formats(run, mini):
    text = run("coverage", "-c", str(mini))
    assert text.exit_code == 0 and "0!" in text.stdout
    assert "Departments with no regional or local structure" in text.stderr
    rows = json.loads(run("coverage", "-f", "json", "-c", str(mini)).stdout)
    assert rows[-1]["place"] == "national" and rows[-1]["creation"] == 1
    table = list(
        csv.reader(io.StringIO(run("coverage", "--by", "department", "-f", "csv", "-c", str(mini)).stdout))
    )
    assert table[0] == [
        "place",
        "label",
        "creation",
        "consolidation",
        "changement-echelle",
        "creation_own",
        "consolidation_own",
        "changement-echelle_own",
    ]
    assert len(table) == 1 + 101 + 1
    markdown = run("coverage", "-f", "markdown", "-c", str(mini)).stdout
    assert markdown.splitlines()[0].startswith(
        "| place | label | creation | consolidation | changement-echelle |"
    )
    assert run("coverage", "--by", "commune", "-c", str(mini)).exit_code == 2


def test_cli_coverage_stale(run, mini):
    result = run("coverage", "--stale", "-c", str(mini))
    assert result.exit_code == 0 and "0 entries not checked" in result.stderr


def test_cli_chain(run, mini, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    result = run("chain", "franche-comte", "-c", str(mini), env={"ESSMAP_CATALOGUE": "", "COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Le Transfo" in result.stdout and "portée par France Active Franche-Comté" in result.stdout
    assert run("chain", "nowhere", "-c", str(mini)).exit_code == 2


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "markdown"])
def test_find_formats_and_fields(run, mini, fmt):
    result = run("find", "-r", "bretagne", "-f", fmt, "--fields", "id,name,website", "-c", str(mini))
    assert result.exit_code == 0
    out = result.stdout
    if fmt == "json":
        assert json.loads(out) == [{"id": "tag29", "name": "TAg29", "website": None}]
    elif fmt == "jsonl":
        assert [json.loads(line) for line in out.splitlines()] == [
            {"id": "tag29", "name": "TAg29", "website": None}
        ]
    elif fmt == "csv":
        assert out == "id,name,website\ntag29,TAg29,\n"
    else:
        assert out == "| id | name | website |\n|---|---|---|\n| tag29 | TAg29 |  |\n"


def test_unknown_field_lists_the_fields(run, mini):
    result = run("find", "-f", "csv", "--fields", "id,nmae", "-c", str(mini))
    assert result.exit_code == 2
    assert "unknown field 'nmae'; did you mean 'name'?" in result.stderr
    assert "fields: id, name, aliases" in result.stderr


def test_markdown_cells_cannot_break_the_table():
    from essmap import render

    out = render.to_markdown([{"a": "x | y\nz"}], ("a",))
    assert out.splitlines()[2] == "| x \\| y\\\\x0az |"  # the newline made visible, every punctuation escaped
    assert len(out.splitlines()) == 3


def test_export_writes_json_csv_and_datapackage(run, mini, tmp_path):
    result = run("export", str(tmp_path / "out"), "-c", str(mini))
    assert result.exit_code == 0
    document = json.loads((tmp_path / "out" / "structures.json").read_text())
    assert document["licence"] == "ODbL-1.0" and document["updated"] == "2026-11-27"
    assert document["count"] == 6 and document["structures"][0]["id"] == "le-transfo"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "structures.csv").read_text())))
    assert len(rows) == 6 and rows[1]["departments"] == "25; 39; 70; 90"
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    assert package["licenses"] == [{"name": "ODbL-1.0"}]
    assert {r["path"] for r in package["resources"]} == {"structures.json", "structures.csv", "essmap.db"}


def test_export_to_an_unwritable_place_is_exit_1(run, mini, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("export", str(blocker / "sub"), "-c", str(mini))
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_coverage_tells_structures_based_in_a_place_from_regional_ones(loaded):
    """A department covered only by regional structures has none of its own: coverage says so."""
    result = coverage.coverage(loaded, "department", ("creation",))
    by_code = {row.place.id: row for row in result.rows}
    assert all(row.own["creation"] <= row.counts["creation"] for row in result.rows)
    assert set(result.without_own["creation"]) == {
        code for code, row in by_code.items() if row.own["creation"] == 0
    }
    assert "29" not in result.without_own["creation"]  # TAg29 is based in Finistère
    summary = render.coverage_summary(result)
    assert "no structure of their own" in summary
