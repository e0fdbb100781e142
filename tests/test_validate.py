"""Each rule of `essmap validate` against a fixture that breaks it, with the exact position."""

import datetime as dt

import pytest

from conftest import catalogue_text, entry
from essmap.validate import format_github, summary, validate

TODAY = dt.date(2026, 6, 1)


def found(write, text, strict=False):
    path = write(text)
    return [str(p)[len(str(path)) + 1 :] for p in validate(path, TODAY, strict)]


def test_clean_catalogue_has_no_problem(write):
    assert found(write, catalogue_text(entry("alpha"), entry("beta", "Beta"))) == []


@pytest.mark.parametrize(
    "old,new,expected",
    [
        (
            "id: alpha",
            "id: Alpha_1",
            "2:9: error: id 'Alpha_1' is not a slug (lower-case letters, digits, hyphens)",
        ),
        (
            "kind: incubateur",
            "kind: incubatuer",
            "4:11: error: unknown kind 'incubatuer'; did you mean 'incubateur'?",
        ),
        (
            "regions: [bretagne]",
            "regions: [bretagn]",
            "6:15: error: unknown region 'bretagn'; did you mean 'bretagne'?",
        ),
        (
            "regions: [bretagne]",
            "regions: [bretagne]\n    departments: ['75']",
            "7:19: error: department 75 (Paris) is outside the listed regions; add `ile-de-france` to `regions`",
        ),
        (
            "regions: [bretagne]",
            "regions: [bretagne]\n    departments: [29]",
            "7:19: error: YAML reads 29 as a number, not text; write it in quotes: '29'",
        ),
        (
            "name: Alpha",
            "name: no",
            "3:11: error: YAML reads no as true or false, not text; write it in quotes: 'no'",
        ),
        (
            "name: Alpha",
            "name: 2024-01-01",
            "3:11: error: YAML reads 2024-01-01 as a date, not text; write it in quotes: '2024-01-01'",
        ),
        ("name: Alpha", "name: Alpha\n    colour: red", "4:5: error: unknown field `colour`"),
        ("name: Alpha", "name: Alpha\n    name: Beta", "4:5: error: duplicate key `name` (first at line 3)"),
        ("    description: Une description.\n", "", "2:5: error: missing required field `description`"),
        (
            "stages: [creation]",
            "stages: creation",
            "5:13: error: `stages` must be a list, not the value 'creation'",
        ),
        (
            "https://example.org/alpha",
            "ftp://example.org",
            "9:14: error: 'ftp://example.org' is not an http(s) address",
        ),
        ("date: '2024-01'", "date: '2024-13'", "10:15: error: source date '2024-13' is not a real date"),
        ("date: '2024-01'", "date: '2027-01'", "10:15: error: source date 2027-01 lies in the future"),
        (
            "description: Une description.",
            "description: Un [bold]texte[/bold]",
            "7:18: warning: text looks like Rich markup ([bold])",
        ),
        (
            "description: Une description.",
            'description: "Un\\x1b[2Jtexte"',
            "7:18: error: control or bidirectional character in text; remove it",
        ),
        (
            "name: Alpha",
            "name: !!python/object:os.system Alpha",
            "3:11: error: YAML tags (tag:yaml.org,2002:python/object:os.system) are not allowed in a catalogue",
        ),
        ("name: Alpha", "name: &n Alpha", "3:11: error: YAML anchors (&n) are not allowed in a catalogue"),
        (
            "kind: incubateur",
            "kind: incubateur\n    carried_by: [nobody]",
            "5:18: error: `carried_by` names id 'nobody', which no entry has",
        ),
        (
            "kind: incubateur",
            "kind: incubateur\n    member_of: [alpha]",
            "5:17: error: `member_of` points to the entry itself ('alpha')",
        ),
        (
            "kind: incubateur",
            "kind: incubateur\n    website: http://a.org\n    replaced_by: [beta]",
            "6:18: error: `replaced_by` is set but the status is active",
        ),
        (
            "    sources:\n      - url: https://example.org/alpha\n        date: '2024-01'\n",
            "    sources: []\n",
            "8:14: error: `sources` needs at least one value",
        ),
    ],
)
def test_rule(write, old, new, expected):
    text = catalogue_text(entry("alpha"), entry("beta", "Beta"))
    assert old in text
    problems = found(write, text.replace(old, new, 1))
    assert expected in problems, problems


def test_aliases_and_unique_ids(write):
    text = catalogue_text(entry("alpha"), entry("alpha", "Beta")) + "  - &x {id: x}\n  - *x\n"
    problems = found(write, text)
    assert "12:9: error: id 'alpha' is already used at line 2" in problems
    assert "23:5: error: YAML aliases (*x) are not allowed in a catalogue; write the value out" in problems


def test_near_duplicates_and_shared_website(write):
    first = entry("alpha", "Incubateur Alpha").replace("regions:", "website: https://a.org\n    regions:")
    second = entry("beta", "Incubateur Alphaa").replace("regions:", "website: https://a.org/\n    regions:")
    problems = found(write, catalogue_text(first, second))
    assert (
        "14:11: warning: name 'Incubateur Alphaa' is nearly the same as 'Incubateur Alpha' at line 3"
        in problems
    )
    assert "17:14: warning: website also given at line 6" in problems


def test_strict_turns_warnings_into_errors(write):
    text = catalogue_text(entry()).replace("name: Alpha", "name: Alpha  # a comment")
    [warning] = found(write, text)
    assert warning.startswith("3:11: warning:")
    assert found(write, text, strict=True) == [warning.replace("warning:", "error:", 1)]


def test_staleness_is_checked_only_when_asked(write):
    """An old `updated` date never turns `validate --strict` red by itself: the calendar moving on
    is not a fault of the file. `--max-age` asks for it."""
    text = catalogue_text(entry()).replace("updated: '2026-01-01'", "updated: '2020-01-01'")
    path = write(text)
    far_future = dt.date(2099, 1, 1)
    assert validate(path, far_future, strict=True) == []
    [problem] = validate(path, TODAY, max_age=730)
    assert str(problem).endswith("11:14: warning: not checked for more than 730 days (since 2020-01-01)")
    assert validate(path, dt.date(2026, 6, 1), max_age=3650) == []


def test_cli_max_age(run, write):
    path = write(catalogue_text(entry()).replace("updated: '2026-01-01'", "updated: '2000-01-01'"))
    assert run("validate", "--strict", str(path)).exit_code == 0
    result = run("validate", "--strict", "--max-age", "365", str(path))
    assert result.exit_code == 1 and "not checked for more than 365 days" in result.stdout
    assert run("validate", "--max-age", "0", str(path)).exit_code == 2


def test_every_problem_in_one_run(write):
    text = catalogue_text(
        entry("alpha").replace("kind: incubateur", "kind: x"),
        entry("beta", "Beta").replace("stages: [creation]", "stages: [y]"),
        entry("gamma", "Gamma").replace("https://", "ftp://"),
    )
    assert len(found(write, text)) == 3


def test_github_annotations_cannot_be_forged(write):
    text = catalogue_text(entry().replace("kind: incubateur", 'kind: "x%0A::error::forged\\n::warning::x"'))
    [problem] = validate(write(text), TODAY)
    line = format_github(problem)
    assert line.startswith("::error file=") and ",line=4,col=11::" in line
    assert "\n" not in line and "%0A::error" not in line.replace("%250A", "")
    assert "%25" in line


def test_summary_counts(write):
    problems = validate(write(catalogue_text(entry()).replace("kind: incubateur", "kind: x")), TODAY)
    assert summary(problems, ["f.yaml"]) == "failed: 1 error, 0 warnings in f.yaml"


@pytest.mark.parametrize(
    "old,new,expected",
    [
        (
            "kind: incubateur",
            "kind: incubateur\n    status: merged",
            "5:13: error: a merged structure needs `status_source`: the page that says so",
        ),
        (
            "kind: incubateur",
            "kind: incubateur\n    status: merged\n    status_source: https://example.org/alpha",
            "5:13: error: a merged structure needs `replaced_by`: the ids of its successors",
        ),
        (
            "kind: incubateur",
            "kind: incubateur\n    status: closed\n    status_source: https://example.org/elsewhere",
            "6:20: error: `status_source` must also be listed in `sources`",
        ),
        (
            "kind: incubateur",
            "kind: incubateur\n    status_date: '2020'",
            "5:18: error: `status_date` is only for a merged or closed structure",
        ),
        (
            "kind: incubateur",
            "kind: incubateur\n    former_ids: [beta]",
            "5:18: error: former id 'beta' is the id of the entry at line 13",
        ),
        (
            "kind: incubateur",
            "kind: incubateur\n    member_of: [ancien]\n    former_ids: [ancien]",
            "5:17: error: `member_of` names 'ancien', a former id: use the entry's current id (line 6)",
        ),
        (
            "        date: '2024-01'\n    updated: '2026-01-01'\n  - id: beta",
            "        date: '2019-01'\n    updated: '2026-01-01'\n  - id: beta",
            "2:5: warning: no source from 2022 on, nor the structure's own site, shows it active: "
            "add such a page or set `status: unverified`",
        ),
        (
            "name: Alpha",
            "name: Alpha # the rest",
            "3:11: warning: the text stops at ` #`: YAML reads the rest of the line as a comment; "
            "quote the whole text (essmap fmt does)",
        ),
    ],
)
def test_lifecycle_and_id_rules(write, old, new, expected):
    text = catalogue_text(entry("alpha"), entry("beta", "Beta"))
    assert old in text
    assert expected in found(write, text.replace(old, new, 1))


def test_successor_must_be_alive(write):
    merged = entry("alpha").replace(
        "kind: incubateur",
        "kind: incubateur\n    status: merged\n    status_source: https://example.org/alpha\n    replaced_by: [beta]",
    )
    closed = entry("beta", "Beta").replace(
        "kind: incubateur",
        "kind: incubateur\n    status: closed\n    status_source: https://example.org/beta",
    )
    assert "7:19: error: successor 'beta' is itself closed: point to the live one" in found(
        write, catalogue_text(merged, closed)
    )


def test_the_same_former_id_twice(write):
    a = entry("alpha").replace("kind: incubateur", "kind: incubateur\n    former_ids: [old]")
    b = entry("beta", "Beta").replace("kind: incubateur", "kind: incubateur\n    former_ids: [old]")
    assert "16:18: error: former id 'old' is already kept at line 5" in found(write, catalogue_text(a, b))
