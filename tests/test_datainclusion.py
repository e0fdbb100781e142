"""`essmap export --format data-inclusion`: every record is valid for the official
data-inclusion-schema package, and only what fits the schema is written."""

import json

import pytest
from typer.testing import CliRunner

from essmap.catalogue import load
from essmap.cli import app
from essmap.datainclusion import DESCRIPTION_LENGTH, records

try:
    from data_inclusion.schema.v1 import Structure
except (ImportError, AttributeError):  # its releases use enum.ReprEnum: Python 3.11 and later
    Structure = None
needs_schema = pytest.mark.skipif(
    Structure is None, reason="data-inclusion-schema is not installed (it needs Python 3.11 or later)"
)

LONG = "Accompagne les projets de l'économie sociale et solidaire de leur idée à leur lancement."

FIXTURE = f"""\
structures:
  - id: france-active
    name: France Active
    kind: financeur
    stages: [creation]
    national: true
    description: {LONG}
    sources:
      - url: https://example.org/fa
    updated: '2026-01-01'
  - id: france-active-bretagne
    name: France Active Bretagne.
    kind: financeur
    stages: [creation, consolidation]
    regions: [bretagne]
    departments: ['56']
    city: Vannes
    website: https://example.org/fab
    siret: '13003013300016'
    email: contact@example.org
    member_of: [france-active]
    description: {LONG}
    sources:
      - url: https://example.org/fab
    updated: '2026-01-02'
  - id: incubateur-rennes
    name: Incubateur de Rennes
    kind: incubateur
    stages: [creation]
    regions: [bretagne]
    city: Rennes
    siren: '130030133'
    description: Trop court.
    sources:
      - url: https://example.org/ir
    updated: '2026-01-03'
  - id: ab
    name: AB
    kind: incubateur
    stages: [creation]
    regions: [bretagne]
    description: {LONG}
    sources:
      - url: https://example.org/ab
    updated: '2026-01-04'
  - id: vieux
    name: Vieux
    kind: incubateur
    stages: [creation]
    regions: [bretagne]
    status: unverified
    description: {LONG}
    sources:
      - url: https://example.org/vieux
        date: '2015'
    updated: '2026-01-05'
"""


def valid(record: dict) -> None:
    if Structure is not None:
        Structure.model_validate(record, context={"ignore_warnings": False})


@needs_schema
def test_every_shipped_active_entry_is_a_valid_structure():
    rows, left_out = records(load(None))
    assert rows
    for row in rows:
        valid(row)
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["source"] == "essmap" and r["id"].startswith("essmap--") for r in rows)
    low, high = DESCRIPTION_LENGTH
    assert all(low <= len(r["description"]) <= high for r in rows if "description" in r)
    assert all(item.reason for item in left_out)


@pytest.fixture
def fixture(write):
    return write(FIXTURE)


def exported(path) -> dict:
    rows, _ = records(load(path, use_cache=False))
    for row in rows:
        valid(row)
    return {r["id"]: r for r in rows}


def test_fields_are_mapped_and_what_does_not_fit_is_left_out(fixture):
    rows = exported(fixture)
    # an unverified entry and one whose name is too short are not written
    assert set(rows) == {
        "essmap--france-active",
        "essmap--france-active-bretagne",
        "essmap--incubateur-rennes",
    }
    fab = rows["essmap--france-active-bretagne"]
    assert fab["nom"] == "France Active Bretagne"  # no final full stop
    assert (fab["commune"], fab["code_insee"], fab["code_postal"]) == ("Vannes", "56260", "56000")
    assert (fab["siret"], fab["site_web"], fab["courriel"]) == (
        "13003013300016",
        "https://example.org/fab",
        "contact@example.org",
    )
    assert fab["reseaux_porteurs"] == ["france-active"]
    assert fab["date_maj"] == "2026-01-02"
    rennes = rows["essmap--incubateur-rennes"]
    assert rennes["code_insee"] == "35238"
    assert "code_postal" not in rennes  # Rennes has three postal codes: none is forced
    assert "description" not in rennes  # shorter than 50 characters
    assert "siret" not in rennes  # a SIREN alone is no SIRET
    assert rows["essmap--france-active"]["reseaux_porteurs"] == ["france-active"]


def test_the_cli_writes_the_file_and_says_what_it_left_out(fixture, tmp_path):
    out = tmp_path / "di"
    result = CliRunner().invoke(
        app, ["export", "--format", "data-inclusion", str(out), "--catalogue", str(fixture)]
    )
    assert result.exit_code == 0, result.output
    assert "3 active structures written" in result.output
    assert "left out: ab:" in result.output
    written = json.loads((out / "data-inclusion-structures.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in written] == sorted(r["id"] for r in written)
    # written again: its own file is replaced
    again = CliRunner().invoke(app, ["export", "-f", "data-inclusion", str(out), "--catalogue", str(fixture)])
    assert again.exit_code == 0, again.output


def test_the_cli_prints_the_records_with_a_dash(fixture):
    result = CliRunner().invoke(app, ["export", "-f", "data-inclusion", "-", "--catalogue", str(fixture)])
    assert result.exit_code == 0
    start = result.output.index("[")
    rows = json.loads(result.output[start : result.output.rindex("]") + 1])
    assert len(rows) == 3


def test_a_file_essmap_did_not_write_is_kept(fixture, tmp_path):
    target = tmp_path / "data-inclusion-structures.json"
    target.write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["export", "-f", "data-inclusion", str(tmp_path), "--catalogue", str(fixture)]
    )
    assert result.exit_code == 2  # a usage matter: --force replaces it
    assert "--force" in result.output
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_an_unknown_export_format_is_a_usage_error(fixture, tmp_path):
    result = CliRunner().invoke(
        app, ["export", "-f", "datainclusion", str(tmp_path), "--catalogue", str(fixture)]
    )
    assert result.exit_code == 2
    assert "did you mean 'data-inclusion'" in result.output
