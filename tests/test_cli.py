"""The real CLI, in-process through Typer's runner and as a subprocess."""

import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, catalogue_text, entry
from essmap import __version__
from essmap.cli import app


def test_find_region_stage(run, mini):
    result = run("find", "--region", "bretagne", "--stage", "creation", "--catalogue", str(mini))
    assert result.exit_code == 0
    assert "TAg29" in result.stdout and "Le Transfo" not in result.stdout
    assert "1 structure found." in result.stderr
    assert "1 national structure also serves Bretagne: add --national" in result.stderr


def test_find_output_to_a_pipe_has_no_colour(run, mini):
    result = run("find", "--catalogue", str(mini))
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize("stage", ["creation", "création", "Création", "CREATION"])
def test_stage_spellings(run, mini, stage):
    result = run("find", "--stage", stage, "--format", "json", "--catalogue", str(mini))
    assert result.exit_code == 0
    assert {r["id"] for r in json.loads(result.stdout)} >= {"le-transfo", "tag29"}


@pytest.mark.parametrize(
    "args,message",
    [
        (["--region", "bretagn"], "unknown region 'bretagn'; did you mean 'bretagne'?"),
        (["--department", "299"], "unknown department '299'"),
        (["--stage", "creaton"], "unknown stage 'creaton'; did you mean 'creation'"),
        (["--theme", "alimentaton"], "unknown theme 'alimentaton'; did you mean 'alimentation'?"),
        (["--kind", "incubatuer"], "unknown kind 'incubatuer'; did you mean 'incubateur'?"),
        (["--format", "jsn"], "unknown format 'jsn'; did you mean 'json'?"),
        (["--region", "finistere"], "use --department 29"),
    ],
)
def test_bad_values_exit_2_with_suggestion(run, mini, args, message):
    result = run("find", *args, "--catalogue", str(mini))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_or_within_and_across(run, mini):
    result = run(
        "find", "-r", "bretagne", "-r", "occitanie", "-k", "incubateur", "-f", "json", "-c", str(mini)
    )
    assert [r["id"] for r in json.loads(result.stdout)] == ["tag29", "premiere-brique"]


def test_former_region_and_national_flag(run, mini):
    result = run("find", "--region", "Franche-Comté", "--national", "-f", "json", "-c", str(mini))
    assert [r["id"] for r in json.loads(result.stdout)] == [
        "france-active-franche-comte",
        "le-transfo",
        "france-active",
    ]


def test_free_text_query(run, mini):
    result = run("find", "incubateur", "toulouse", "-f", "json", "-c", str(mini))
    assert json.loads(result.stdout)[0]["id"] == "premiere-brique"


def test_no_match_is_a_message_and_exit_0(run, mini):
    result = run("find", "--region", "corse", "-c", str(mini))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No structure matches." in result.stderr


def test_json_and_csv_formats(run, mini):
    data = json.loads(run("find", "-f", "json", "-c", str(mini)).stdout)
    assert data[0]["kind"] == "financeur" and data[0]["regions"] == ["bourgogne-franche-comte"]
    csv_text = run("find", "-f", "csv", "-c", str(mini)).stdout
    assert csv_text.splitlines()[0].startswith("id,name,aliases,kind,stages")
    assert len(csv_text.splitlines()) == 6


def test_show_exact_fuzzy_json(run, mini):
    exact = run("show", "transfo", "-c", str(mini))
    assert (
        exact.exit_code == 0
        and "Le Transfo" in exact.stdout
        and "France Active Franche-Comté" in exact.stdout
    )
    assert exact.stderr == ""
    loose = run("show", "transfoo", "-c", str(mini))
    assert loose.exit_code == 0 and "closest match for 'transfoo'" in loose.stderr
    as_json = json.loads(run("show", "le-transfo", "-f", "json", "-c", str(mini)).stdout)
    assert as_json["id"] == "le-transfo" and as_json["carried_by"] == ["france-active-franche-comte"]


def test_show_lists_relations_both_ways(run, mini, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    out = run("show", "france-active-franche-comte", "-c", str(mini)).stdout
    assert "Porte" in out and "Le Transfo" in out and "Membre de" in out


def test_show_ambiguous_and_unknown_exit_2(run, mini):
    ambiguous = run("show", "france", "-c", str(mini))
    assert ambiguous.exit_code == 2 and "france-active-franche-comte" in ambiguous.stderr
    unknown = run("show", "zzzz", "-c", str(mini))
    assert unknown.exit_code == 2 and "no structure matches 'zzzz'" in unknown.stderr
    close = run("show", "premier briqe", "-c", str(mini))
    assert close.exit_code == 0 and "Première Brique" in close.stdout


def test_bad_catalogue_is_file_line_message_exit_1(run, write):
    path = write("structures:\n  - id: a\n    kind: [\n")
    result = run("find", "-c", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"essmap: {path}:4:1: error: YAML does not parse")
    assert "Traceback" not in result.output


def test_missing_catalogue_exit_1(run, tmp_path):
    result = run("show", "x", "--catalogue", str(tmp_path / "none.yaml"))
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_environment_variable(run, mini):
    result = run("find", "-f", "json", env={"ESSMAP_CATALOGUE": str(mini)})
    assert len(json.loads(result.stdout)) == 5


def test_version_and_help(run):
    assert run("--version").stdout == f"essmap {__version__}\n"
    help_text = run("--help").stdout
    for command in ("find", "show", "validate"):
        assert command in help_text
    assert "essmap find --region bretagne --stage creation" in help_text


@pytest.mark.parametrize(
    "command", ["find", "show", "validate", "orient", "coverage", "chain", "map", "export"]
)
def test_every_command_help_has_examples(run, command):
    text = run(command, "--help").stdout
    assert "Examples" in text and f"essmap {command}" in text


def test_validate_exit_codes(run, mini, write):
    assert run("validate", str(mini)).exit_code == 0
    bad = write("structures:\n  - id: a\n")
    result = run("validate", str(bad), str(mini))
    assert result.exit_code == 1
    assert f"{bad}:2:5: error: missing required field `name`" in result.stdout
    assert result.stderr.startswith("failed: 6 errors, 0 warnings")


def test_validate_github_format(run, write):
    bad = write("structures:\n  - id: a\n")
    out = run("validate", "--format", "github", str(bad)).stdout
    assert out.splitlines()[0] == f"::error file={bad},line=2,col=5::missing required field `name`"


def test_python_dash_m_works_like_the_script(mini):
    env = dict(os.environ, ESSMAP_CATALOGUE=str(mini), NO_COLOR="1")
    result = subprocess.run(
        [sys.executable, "-m", "essmap", "find", "--region", "bretagne", "--stage", "creation"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0 and "TAg29" in result.stdout
    assert "\x1b[" not in result.stdout


def test_closed_structures_are_left_out_unless_asked(run, mini):
    default = run("find", "--region", "ile-de-france", "-c", str(mini))
    assert "L'Atelier" not in default.stdout
    assert "1 closed or merged left out: add --include-closed" in default.stderr
    asked = run("find", "--region", "ile-de-france", "--include-closed", "-f", "json", "-c", str(mini))
    assert [r["id"] for r in __import__("json").loads(asked.stdout)] == ["l-atelier"]


def test_show_says_closed_first(run, mini, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    out = run("show", "atelier", "-c", str(mini)).stdout
    flat = " ".join(out.replace("│", " ").split())
    assert flat.index(
        "Fermée (2017-01) ; remplacée par France Active [france-active] ; source :"
    ) < flat.index("Identifiant")
    assert "Fermé en janvier 2017." in out


def test_find_explain_gives_reasons_in_text_and_json(run, mini, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    text = run("find", "--region", "bretagne", "--stage", "creation", "--explain", "-c", str(mini))
    assert "    pourquoi : couvre Finistère (29) ; étape : Création" in text.stdout
    rows = json.loads(
        run(
            "find", "incubateur", "toulouse", "--explain", "-f", "json", "--fields", "id", "-c", str(mini)
        ).stdout
    )
    assert rows[0]["id"] == "premiere-brique"
    reasons = rows[0]["reasons"]
    assert "type : Incubateur (« incubateur »)" in reasons
    assert "lieu : toulouse → 31" in reasons and reasons[-1].startswith("pertinence : ")


def test_find_by_commune_and_offer(run):
    answers = ("-c", str(FIXTURES / "answers.yaml"))
    rows = json.loads(
        run("find", *answers, "--commune", "29200", "--kind", "dla", "-f", "json", "--fields", "id").stdout
    )
    assert rows == [{"id": "dla-29"}]
    offered = json.loads(
        run(
            "find", *answers, "--offer", "garantie", "-r", "bretagne", "-f", "json", "--fields", "offers"
        ).stdout
    )
    assert offered and all("garantie" in row["offers"] for row in offered)


def test_region_typed_as_a_commune_says_so(run, mini):
    result = run("find", "--region", "quimper", "-c", str(mini))
    assert result.exit_code == 2 and "'quimper' is a commune: use --commune" in result.stderr


def test_coverage_fields(run, mini):
    assert run("coverage", "-f", "csv", "--fields", "place,creation", "-c", str(mini)).stdout.startswith(
        "place,creation\n"
    )
    bad = run("coverage", "-f", "csv", "--fields", "place,creaton", "-c", str(mini))
    assert bad.exit_code == 2 and "fields: place, label, creation" in bad.stderr


def test_limit_keeps_the_best_and_says_so(run, mini, write):
    one = run("find", "incubateur", "--limit", "1", "-f", "json", "-c", str(mini))
    assert len(json.loads(one.stdout)) == 1
    assert "Showing the best 1: add --limit 0 to list them all." in one.stderr
    many = (
        "-c",
        str(write(catalogue_text(*(entry(f"incubateur-{n}", f"Incubateur {n}") for n in range(60))))),
    )
    ranked = run("find", "incubateur", "-f", "jsonl", *many)
    assert len(ranked.stdout.splitlines()) == 50 and "Showing the best 50" in ranked.stderr
    everything = run("find", "incubateur", "--limit", "0", "-f", "jsonl", *many)
    assert len(everything.stdout.splitlines()) == 60 and "Showing" not in everything.stderr
    filters_only = run("find", "--stage", "creation", "-f", "jsonl", *many)
    assert len(filters_only.stdout.splitlines()) == 60  # no default limit without a query


def test_map_svg_to_an_unwritable_place_is_exit_1(run, mini, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("map", "--svg", str(blocker / "map.svg"), "-c", str(mini))
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_short_options_mean_one_thing_across_commands():
    """`-n` is --limit wherever it exists (find, orient), and so on for every short option."""
    import typer.main

    meaning: dict[str, set[str]] = {}
    group = typer.main.get_command(app)
    for command in group.commands.values():
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("-") and not opt.startswith("--"):
                    meaning.setdefault(opt, set()).add(param.name)
    assert meaning["-n"] == {"limit"}
    assert {opt: names for opt, names in meaning.items() if len(names) > 1} == {}


@pytest.mark.parametrize("args", [["find", "--help"], ["show", "--help"], ["orient", "--help"]])
def test_a_named_command_is_built_alone_and_behaves_the_same(args, monkeypatch, capsys):
    """main() builds only the command a call names; its help is the whole app's."""
    from essmap import cli

    monkeypatch.setattr(sys, "argv", ["essmap", *args])
    monkeypatch.setenv("COLUMNS", "100")
    outputs = []
    for named in (cli._named_command, lambda args: None):
        monkeypatch.setattr(cli, "_named_command", named)
        with pytest.raises(SystemExit) as stopped:
            cli.main()
        assert stopped.value.code == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    monkeypatch.undo()
    assert cli._named_command(args).callback.__name__ == args[0]
    assert cli._named_command(["--version"]) is None and cli._named_command(["fnd"]) is None


def test_national_alone_lists_the_national_structures(run):
    answers = ("-c", str(FIXTURES / "answers.yaml"))
    rows = json.loads(run("find", "--national", "-f", "json", "--fields", "id,national", *answers).stdout)
    assert rows and all(row["national"] for row in rows)
    everything = json.loads(run("find", "-f", "json", "--fields", "id", *answers).stdout)
    assert len(everything) > len(rows)


def test_fields_choose_the_columns_of_the_table_too(run):
    out = run("find", "-r", "bretagne", "--fields", "id,website", "-c", str(FIXTURES / "answers.yaml")).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["id", "website"] and any("cress-bretagne" in line for line in lines)
    assert "Incubat" not in out  # the kind column is not there


def test_long_work_shows_progress_on_a_terminal_only(monkeypatch):
    """Over a second on a terminal: a progress display on stderr; on a pipe, or quick, nothing."""
    import time

    from essmap import cli

    started = []

    class Status:
        def __init__(self, message):
            started.append(message)

        def start(self):
            pass

        def stop(self):
            started.append("stopped")

    import rich.console

    monkeypatch.setattr(rich.console.Console, "status", lambda self, message: Status(message))
    monkeypatch.setattr(cli, "WORK_NOTICE_SECONDS", 0.05)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with cli._working("Reading…"):
        time.sleep(0.3)
    assert started == ["Reading…", "stopped"]
    started.clear()
    with cli._working("Reading…"):
        pass
    assert started == []
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    with cli._working("Reading…"):
        time.sleep(0.2)
    assert started == []
