"""essmap orient: the ordered path with reasons, its gaps, its questions."""

import csv
import io
import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from essmap import catalogue, orient, places
from essmap.model import SCOPES

ANSWERS = Path(__file__).parent / "fixtures" / "answers.yaml"


@pytest.fixture(autouse=True)
def french(monkeypatch):
    """Orientation is read here as the French adviser reads it."""
    monkeypatch.setenv("ESSMAP_LANG", "fr")


@pytest.fixture(scope="module")
def fixture():
    """A small catalogue that has every case (tests never depend on the fixture data's ids)."""
    return catalogue.load(ANSWERS, use_cache=False)


def ids(step):
    return [r.structure.id for r in step.recommendations]


def test_path_door_then_needs_then_next_stage(fixture):
    result = orient.orient(
        fixture, "creation", places.resolve_department("29"), ("financement", "hebergement")
    )
    kinds = [step.kind for step in result.steps]
    assert kinds == ["door", "need", "need", "next"]
    door = result.steps[0]
    assert {"collectif-breton", "cress-bretagne"} <= set(ids(door))
    assert {"pole-brest", "pole-quimper"} & set(ids(door))
    assert door.recommendations[0].structure.kind == "pole-ess"  # the local door first
    financing = result.steps[1]
    assert "france-active-bretagne" in ids(financing)
    near = [r.structure for r in financing.recommendations if not r.structure.national]
    statuses = [s.status for s in near]
    assert statuses == sorted(statuses, key=lambda s: s != "active")  # unverified entries last
    scopes = [r.scope for r in financing.recommendations if r.structure.status == "active"]
    assert scopes == sorted(scopes, key=SCOPES.index)  # local, then regional, then national
    assert "fonds-ancien" in ids(financing)
    for r in financing.recommendations:
        assert "étape : Création" in r.reasons and "propose : Financement" in r.reasons
        assert "financement" in r.structure.offers and "creation" in r.structure.stages
    fab = next(r for r in financing.recommendations if r.structure.id == "france-active-bretagne")
    assert "membre de Collectif breton de l'accompagnement (collectif régional)" in fab.reasons
    assert result.steps[-1].title == "Pour la suite : Consolidation"


def test_last_stage_has_no_next_step(fixture):
    result = orient.orient(fixture, "changement-echelle", places.resolve_region("occitanie"))
    assert [s.kind for s in result.steps] == ["door"]


def test_unserved_need_says_so_and_offers_alternatives(fixture):
    result = orient.orient(fixture, "creation", places.resolve_region("normandie"), ("conseil-juridique",))
    need = result.steps[1]
    assert need.recommendations == []
    assert need.message.startswith(
        "Rien de proche : aucune structure du catalogue ne propose « Conseil juridique »"
    )


def test_closed_cress_is_mentioned_not_recommended(fixture):
    door = orient.orient(fixture, "creation", places.resolve_region("normandie")).steps[0]
    assert "cress-normandie" not in ids(door)
    assert door.message.startswith("CRESS Normandie : fermée")


def test_alternatives_from_nearby_departments(fixture):
    place = places.resolve_department("29")
    wanted = next(
        o
        for o in ("appui-rh", "conseil-juridique", "mentorat", "observation")
        if not orient.orient(fixture, "creation", place, (o,)).steps[1].recommendations
    )
    step = orient.orient(fixture, "creation", place, (wanted,)).steps[1]
    assert step.message and all(r.reasons for r in step.alternatives)


def test_cli_text_and_json(run):
    text = run(
        "orient",
        "-c",
        str(ANSWERS),
        "--stage",
        "creation",
        "--department",
        "29",
        "--need",
        "financement",
        "--need",
        "hebergement",
    )
    assert text.exit_code == 0
    assert text.stdout.startswith(
        "Orientation : Création, Finistère (29) ; besoins : Financement, Hébergement et locaux"
    )
    assert "1. Porte d'entrée" in text.stdout and "pourquoi : " in text.stdout
    data = json.loads(
        run(
            "orient",
            "-c",
            str(ANSWERS),
            "-s",
            "creation",
            "--commune",
            "29200",
            "--need",
            "financement",
            "-f",
            "json",
        ).stdout
    )
    assert data["place"]["departments"] == ["29"] and data["stage"] == "creation"
    assert data["steps"][1]["need"] == "financement" and data["steps"][1]["recommendations"][0]["reasons"]


def test_every_format_renders_an_orientation(run):
    """One renderer per format: the orientation as rows for csv, jsonl and markdown too."""
    args = ("orient", "-c", str(ANSWERS), "-s", "creation", "-d", "29", "--need", "financement", "-n", "2")
    text = run(*args, "-f", "text").stdout
    assert text == run(*args).stdout and text.startswith("Orientation : Création, Finistère (29)")
    rows = list(csv.DictReader(io.StringIO(run(*args, "-f", "csv").stdout)))
    assert [r["step"] for r in rows if r["role"] == "recommendation"].count("2") <= 2  # -n: per step
    assert {"france-active-bretagne", "collectif-breton"} <= {r["id"] for r in rows}
    lines = [json.loads(line) for line in run(*args, "-f", "jsonl").stdout.splitlines()]
    assert [line["id"] for line in lines] == [r["id"] for r in rows]
    assert run(*args, "-f", "markdown").stdout.startswith("| step | title | need | role | id |")


def test_cli_on_a_pipe_without_options_says_what_is_required(run):
    result = run("orient")
    assert result.exit_code == 2
    assert "il manque à orient : --stage et un lieu" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (["-s", "creaton", "-d", "29"], "vouliez-vous dire 'creation'"),
        (["-s", "creation", "-d", "29", "--need", "financment"], "vouliez-vous dire 'financement'"),
        (["-s", "creation", "-d", "29", "-n", "0"], "0"),
        (["-s", "creation", "-d", "29", "-r", "bretagne"], "donnez un seul lieu"),
        (["-s", "creation"], "il manque à orient : un lieu"),
        (["-s", "creation", "--commune", "Saint-Denis"], "désigne des communes de 4 départements"),
    ],
)
def test_cli_bad_values(run, args, message):
    result = run("orient", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_cli_asks_the_questions_on_a_terminal(run, monkeypatch):
    from essmap import cli

    monkeypatch.setattr(cli, "_is_terminal", lambda: True)
    answers = "creaton\ncreation\nquimperlé\nfinancement, hebergment\nfinancement, hebergement\n"
    result = run("orient", input=answers)
    assert result.exit_code == 0, result.output
    assert "étape inconnu(e) : 'creaton' ; vouliez-vous dire 'creation' ?" in result.output
    assert "offre inconnu(e) : 'hebergment'" in result.output
    assert (
        "Orientation : Création, Quimperlé, Finistère (29) ; besoins : Financement, Hébergement et locaux"
        in result.output
    )


def test_questions_in_a_real_terminal(tmp_path):
    """Through a pseudo-terminal, as a person would: the questions come, the answer follows."""
    leader, follower = pty.openpty()
    env = dict(os.environ, NO_COLOR="1", COLUMNS="120")
    env.pop("ESSMAP_CATALOGUE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "essmap", "orient"], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    output = b""

    def read_until(marker: bytes, seconds: float = 30) -> None:
        nonlocal output
        deadline = time.monotonic() + seconds
        while marker not in output and time.monotonic() < deadline:
            try:
                output += os.read(leader, 4096)
            except OSError:
                break

    read_until("Étape".encode())
    os.write(leader, b"creation\n")
    read_until(b"code postal")
    os.write(leader, b"29200\n")
    read_until(b"Besoins (")
    os.write(leader, b"financement\n")
    read_until(b"Pour la suite")
    process.wait(timeout=30)
    os.close(leader)
    assert process.returncode == 0
    assert "Orientation : Création, Brest, Finistère (29)".encode() in output


def test_need_served_only_far_away_points_there(fixture):
    step = orient.orient(
        fixture, "creation", places.resolve_region("normandie"), ("conseil-juridique",)
    ).steps[1]
    assert step.recommendations == [] and step.alternatives
    assert step.message.startswith("Rien de proche")
    assert all(
        r.reasons[-1].startswith(("ailleurs : ", "département proche : "))
        or "à une autre étape" in " ".join(r.reasons)
        for r in step.alternatives
    )
