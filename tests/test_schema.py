"""The shipped JSON Schema is generated from the field specs and agrees with the validator."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import catalogue_text, entry
from essmap import schema
from essmap.validate import validate

SHIPPED = Path(schema.__file__).parent / "structures.schema.json"

VALID = [
    catalogue_text(entry("alpha"), entry("beta", "Beta")),
    "licence: ODbL-1.0\nupdated: '2026-01-01'\n" + catalogue_text(entry()),
    catalogue_text(entry().replace("regions: [bretagne]", "national: true")),
]
INVALID = [
    catalogue_text(entry().replace("kind: incubateur", "kind: incubatuer")),
    catalogue_text(entry().replace("stages: [creation]", "stages: []")),
    catalogue_text(entry().replace("    description: Une description.\n", "")),
    catalogue_text(entry().replace("regions: [bretagne]", "regions: [bretagne]\n    colour: red")),
    catalogue_text(entry().replace("id: alpha", "id: Alpha_1")),
    catalogue_text(entry().replace("https://example.org/alpha", "ftp://example.org")),
    catalogue_text(entry().replace("date: '2024-01'", "date: 'janvier'")),
    catalogue_text(entry().replace("regions: [bretagne]", "departments: ['29']")),
    catalogue_text(entry().replace("regions: [bretagne]", "regions: [bretagne]\n    departments: ['299']")),
    "structures: {}\n",
    "licence: x\n",
]


def test_shipped_schema_is_the_generated_one():
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == schema.json_schema()


def test_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(schema.json_schema())


@pytest.mark.parametrize("text", VALID + INVALID)
def test_schema_and_validator_agree(text, write):
    path = write(text)
    by_schema = jsonschema.Draft202012Validator(schema.json_schema()).is_valid(yaml.safe_load(text))
    by_validator = not any(p.severity == "error" for p in validate(path))
    assert by_schema == by_validator
    assert by_schema == (text in VALID)


def test_catalogue_points_to_the_schema():
    first_line = (
        (Path(__file__).parents[1] / "data" / "structures.yaml").read_text(encoding="utf-8").splitlines()[0]
    )
    assert first_line.startswith("# yaml-language-server: $schema=")
    target = (Path(__file__).parents[1] / "data" / first_line.split("=", 1)[1]).resolve()
    assert target == SHIPPED.resolve()


def test_format_documentation_is_generated_from_the_code():
    document = Path(__file__).parents[1] / "docs" / "catalogue-format.md"
    assert document.read_text(encoding="utf-8") == schema.markdown()
