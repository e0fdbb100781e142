"""Official identifiers (SIREN, SIRET, RNA): their checksums, and how a catalogue that gets one
wrong is told, at its position."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import catalogue_text, entry
from essmap.identifiers import luhn, rna_problem, siren_problem, siret_problem
from essmap.validate import validate

TODAY = dt.date(2026, 6, 1)


def with_check_digit(body: str) -> str:
    """`body` followed by the digit that makes it pass the Luhn test."""
    return next(body + d for d in "0123456789" if luhn(body + d))


@pytest.mark.parametrize("value", ["130030133", "552081317", "784671695"])
def test_known_sirens_pass(value):
    assert siren_problem(value) is None


@pytest.mark.parametrize("value", ["13003013300016", "78467169500087", "35600000000048"])
def test_known_sirets_pass(value):
    assert siret_problem(value) is None


def test_la_poste_establishments_pass_by_their_own_rule():
    # La Poste's establishments fail the Luhn test; the sum of their digits is a multiple of 5
    assert not luhn("35600000049837")
    assert siret_problem("35600000049837") is None
    assert siret_problem("35600000059843") is not None  # digit sum 48: not one of them
    # the exception is La Poste's alone
    assert siret_problem("13003013300025") is not None


@pytest.mark.parametrize(
    "value,expected",
    [
        ("13003013300017", "fails its checksum"),
        ("130 030 133 00016", "14 digits written together"),
        ("1300301330001", "14 digits written together"),
        ("١٣٠٠٣٠١٣٣٠٠٠١٦", "14 digits written together"),  # digits, but not ASCII ones
    ],
)
def test_bad_sirets_say_why(value, expected):
    assert expected in siret_problem(value)


def test_a_siret_whose_siren_part_fails_is_refused():
    # passes Luhn on 14 digits, but its first 9 digits are no SIREN
    body = "123456789"
    assert not luhn(body)
    siret = with_check_digit(body + "0000")
    assert luhn(siret)
    assert "checksum" in siret_problem(siret)


@pytest.mark.parametrize("value", ["W751234567", "W2A1000123", "W9R2001234"])
def test_rna_numbers_pass(value):
    assert rna_problem(value) is None


@pytest.mark.parametrize("value", ["751234567", "W75123456", "w751234567", "W75-234567", "WAB1234567"])
def test_bad_rna_numbers_are_refused(value):
    assert rna_problem(value) is not None


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(0, 8), st.integers(1, 9))
def test_any_single_wrong_digit_of_a_siren_is_caught(body, position, shift):
    siren = with_check_digit(body)
    assert siren_problem(siren) is None
    wrong = siren[:position] + str((int(siren[position]) + shift) % 10) + siren[position + 1 :]
    assert siren_problem(wrong) is not None


def identified(extra: str) -> str:
    return entry().replace("    description:", extra + "    description:")


def found(write, text):
    path = write(text)
    return [str(p)[len(str(path)) + 1 :] for p in validate(path, TODAY)]


def test_valid_identifiers_load(write):
    text = catalogue_text(
        identified("    siren: '130030133'\n    siret: '13003013300016'\n    rna: W751234567\n")
    )
    assert found(write, text) == []


@pytest.mark.parametrize(
    "extra,expected",
    [
        (
            "    siret: '13003013300017'\n",
            "7:12: error: SIRET 13003013300017 fails its checksum (a digit is wrong)",
        ),
        (
            "    siren: 130030133\n",
            "7:12: error: YAML reads 130030133 as a number, not text; write it in quotes: '130030133'",
        ),
        (
            "    siren: '552081317'\n    siret: '13003013300016'\n",
            "8:12: error: SIRET 13003013300016 is not an establishment of SIREN 552081317 "
            "(its first 9 digits differ)",
        ),
        (
            "    rna: '751234567'\n",
            "7:10: error: an association number (RNA) is W and 9 characters, as W751234567, not '751234567'",
        ),
    ],
)
def test_a_wrong_identifier_is_reported_at_its_position(write, extra, expected):
    assert found(write, catalogue_text(identified(extra))) == [expected]


def test_an_identifier_given_twice_is_an_error(write):
    first = identified("    siret: '13003013300016'\n")
    second = entry("beta", "Beta").replace(
        "    description:", "    siret: '13003013300016'\n    description:"
    )
    problems = found(write, catalogue_text(first, second))
    assert problems == ["18:12: error: SIRET 13003013300016 is already given at line 7"]


def test_identifiers_are_shown_and_exported(write, tmp_path):
    import json
    import sqlite3

    from typer.testing import CliRunner

    from essmap.cli import app

    path = write(catalogue_text(identified("    siret: '13003013300016'\n    rna: W751234567\n")))
    runner = CliRunner()
    shown = runner.invoke(app, ["show", "alpha", "--catalogue", str(path), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.output)
    assert (record["siret"], record["rna"]) == ("13003013300016", "W751234567")
    table = runner.invoke(app, ["show", "alpha", "--catalogue", str(path)])
    assert "13003013300016" in table.output
    out = tmp_path / "open"
    assert runner.invoke(app, ["export", str(out), "--catalogue", str(path)]).exit_code == 0
    row = sqlite3.connect(out / "essmap.db").execute("SELECT siret, rna FROM structures").fetchone()
    assert row == ("13003013300016", "W751234567")
