"""The interface speaks French or English; every message has its French form."""

import ast
import inspect
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from essmap import build, cli, errors, explain, i18n, model, online, orient

SRC = Path(cli.__file__).parent
PO = SRC / "locale" / "fr" / "LC_MESSAGES" / "essmap.po"


def po_entries() -> dict[str, str]:
    """msgid -> msgstr (the singular forms for a plural entry) of the French file."""
    from babel.messages.pofile import read_po

    with open(PO, "rb") as handle:
        catalog = read_po(handle)
    found = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            found[msgid] = strings[0] if strings else ""
    return found


def msgids() -> set[str]:
    """Every message the interface can show: `_()` and `ngettext()` calls, the CLI's help texts,
    metavars and command docstrings, and the tables of messages looked up at run time."""
    found: set[str] = set()
    for path in SRC.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
                found |= {
                    a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                }
            if path.name == "cli.py" and isinstance(node, ast.keyword) and node.arg in ("help", "metavar"):
                if isinstance(node.value, ast.Constant):
                    found.add(node.value.value)
    for template in (SRC / "templates").glob("*.html"):  # the web pages' words
        text = template.read_text(encoding="utf-8")
        found |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', text)) | set(
            re.findall(r"_\('((?:[^'\\]|\\.)*)'\)", text)
        )
        for singular, plural in re.findall(r'ngettext\("([^"]*)", "([^"]*)"', text):
            found |= {singular, plural}
    for command in cli.app.registered_commands:
        found.add(inspect.getdoc(command.callback))
    found.add(inspect.cleandoc(cli.HELP))
    found |= set(orient.DOOR_KINDS.values()) | set(explain.FIELD_LABELS) | set(errors.NOUNS)
    found |= {msgid for _pattern, msgid in cli._PARSER_MESSAGES} | set(build._YAML_TYPES.values())
    found |= set(online.PROBLEMS.values()) | set(online.CHECKS.values())
    return found


def test_every_message_has_its_french_form():
    entries = po_entries()
    missing = sorted(m for m in msgids() if not entries.get(m))
    assert missing == []
    unused = sorted(
        set(entries)
        - msgids()
        - {"Usage: ", "Show this message and exit.", "Options that apply before any command."}
    )
    assert len(unused) < 10, unused  # the parser's own words are looked up by it, not by us


def test_the_french_forms_keep_their_placeholders():
    for msgid, msgstr in po_entries().items():
        assert sorted(re.findall(r"{\w*}", msgid)) == sorted(re.findall(r"{\w*}", msgstr)), msgid


def test_every_vocabulary_term_has_an_english_label():
    for vocabulary in (model.STAGES, model.KINDS, model.THEMES, model.OFFERS, model.STATUSES):
        for term in vocabulary:
            assert (vocabulary.name, term.id) in model.ENGLISH_LABELS


@pytest.mark.parametrize(
    "variables,expected",
    [
        ({"ESSMAP_LANG": "fr"}, "fr"),
        ({"ESSMAP_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANGUAGE": "en:fr", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_follows_the_locale(monkeypatch, variables, expected):
    for name in ("ESSMAP_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


def main_output(monkeypatch, capsys, lang: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("ESSMAP_LANG", lang)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr(sys, "argv", ["essmap", *args])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    out = capsys.readouterr()
    return stopped.value.code, out.out, out.err


def test_the_same_call_in_both_languages(monkeypatch, capsys, mini):
    code, out, err = main_output(monkeypatch, capsys, "fr", "find", "-r", "bretagn", "-c", str(mini))
    assert code == 2 and "région inconnu(e) : 'bretagn' ; vouliez-vous dire 'bretagne' ?" in err
    code, out, err = main_output(monkeypatch, capsys, "en", "find", "-r", "bretagn", "-c", str(mini))
    assert code == 2 and "unknown region 'bretagn'; did you mean 'bretagne'?" in err
    code, out, err = main_output(monkeypatch, capsys, "fr", "find", "--regio", "x")
    assert code == 2 and "option inconnue : --regio ; vouliez-vous dire --region ?" in err
    code, out, err = main_output(monkeypatch, capsys, "fr", "find", "--help")
    assert code == 0 and "Utilisation : essmap find [OPTIONS] [TEXTE]" in out and "--region" in out
    assert "RÉGION" in out and "<str>" not in out and "[x>=0]" not in out
    code, out, err = main_output(monkeypatch, capsys, "en", "find", "--help")
    assert "Usage: essmap find [OPTIONS] [QUERY]" in out and "REGION" in out
    code, out, err = main_output(monkeypatch, capsys, "fr", "find", "-r", "bretagne", "-c", str(mini))
    assert code == 0 and "Incubateur" in out and "structure trouvée" in err
    code, out, err = main_output(monkeypatch, capsys, "en", "find", "-r", "bretagne", "-c", str(mini))
    assert "Incubator" in out and "structure found" in err


def help_examples(monkeypatch, capsys, lang: str) -> list[str]:
    found = []
    for command in cli.app.registered_commands:
        name = command.name or command.callback.__name__
        _code, out, _err = main_output(monkeypatch, capsys, lang, name, "--help")
        found += [line.strip() for line in out.splitlines() if line.strip().startswith("essmap ")]
    return found


@pytest.mark.slow  # runs every example of every --help, in both languages
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_help_example_runs_as_printed(monkeypatch, capsys, tmp_path, lang):
    import shlex

    examples = help_examples(monkeypatch, capsys, lang)
    assert len(examples) >= 20
    shutil.copytree(SRC.parents[1] / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ESSMAP_CATALOGUE", raising=False)
    # the two commands that reach out are run for their parsing only: no network, no server
    from essmap import online, web

    asked: list[tuple] = []
    monkeypatch.setattr(online, "check", lambda *args, **options: asked.append(args) or online.Report("now"))
    monkeypatch.setattr(web, "serve", lambda *args, **options: asked.append(args))
    for example in examples:
        code, _out, err = main_output(monkeypatch, capsys, lang, *shlex.split(example)[1:])
        assert code == 0, (example, err)
    assert len(asked) == sum(e.startswith(("essmap check", "essmap serve")) for e in examples) >= 4


def test_the_wheel_speaks_french(tmp_path):
    """The compiled catalogue is in the package (built by hatch_build.py from the .po)."""
    assert PO.with_suffix(".mo").is_file()
    env = {k: v for k, v in os.environ.items() if k != "ESSMAP_CATALOGUE"}
    env["ESSMAP_LANG"] = "fr"
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "essmap", "find", "--stage", "creaton"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "vouliez-vous dire 'creation'" in result.stderr
