from pathlib import Path

import pytest

from conftest import catalogue_text, entry
from essmap import catalogue
from essmap.errors import CatalogueError


def test_load_builds_the_model(mini):
    loaded = catalogue.load(mini)
    assert len(loaded) == 6
    transfo = loaded.get("le-transfo")
    assert transfo.name == "Le Transfo"
    assert transfo.stages == ("creation",)
    assert transfo.coverage == {"21", "25", "39", "58", "70", "71", "89", "90"}
    assert transfo.sources[0].date == "2019"
    assert loaded.licence == "ODbL-1.0"


def test_environment_variable_chooses_the_catalogue(mini, monkeypatch):
    monkeypatch.setenv("ESSMAP_CATALOGUE", str(mini))
    assert catalogue.resolve_path(None) == mini
    assert catalogue.resolve_path("other.yaml") == Path("other.yaml")


def test_default_catalogue_is_found():
    assert catalogue.default_path().is_file()


def _problems(path) -> list[str]:
    with pytest.raises(CatalogueError) as error:
        catalogue.load(path)
    return [str(p) for p in error.value.problems]


def test_every_problem_is_reported_with_its_position(write):
    path = write(
        catalogue_text(
            entry("alpha").replace("kind: incubateur", "kind: incubatuer"),
            entry("beta").replace("stages: [creation]", "stages: [creaton]"),
        )
    )
    problems = _problems(path)
    assert problems == [
        f"{path}:4:11: error: unknown kind 'incubatuer'; did you mean 'incubateur'?",
        f"{path}:15:14: error: unknown stage 'creaton'; did you mean 'creation'?",
    ]


def test_yaml_syntax_error_has_line(write):
    path = write("structures:\n  - id: [a\n")
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:3:1: error: YAML does not parse")


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "the file is empty"),
        ("- a\n", "the catalogue must be a mapping"),
        ("structures: 3\n", "`structures` must be a list"),
        ("licence: x\n", "missing `structures:`"),
        ("structures:\n  - just text\n", "an entry must be a mapping"),
    ],
)
def test_shape_errors(write, text, message):
    assert message in _problems(write(text))[0]


def test_missing_file_and_directory(tmp_path):
    assert _problems(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: error: no such file"]
    assert "is a directory" in _problems(tmp_path)[0]


def test_unquoted_department_and_missing_fields(write):
    text = catalogue_text(entry()).replace(
        "regions: [bretagne]", "regions: [auvergne-rhone-alpes]\n    departments: [01]"
    )
    text = text.replace("    description: Une description.\n", "")
    problems = _problems(write(text))
    assert any("YAML reads 01 as a number" in p and ":7:19:" in p for p in problems)
    assert any("missing required field `description`" in p for p in problems)
