"""The shipped catalogue: valid under --strict, sourced, and covering every region and stage."""

import datetime as dt

import pytest

from essmap import catalogue, geo
from essmap.validate import validate

SEED = [
    "le-transfo",
    "france-active-franche-comte",
    "bge-franche-comte",
    "coopilote",
    "premiere-brique",
    "trajectoiress",
    "reseau-tremplin",
    "cress-bretagne",
    "cress-hauts-de-france",
    "dla",
    "france-active",
    "hubess",
    "avise",
    "french-impact",
    "fabrique-a-initiatives",
]


@pytest.fixture(scope="module")
def shipped():
    return catalogue.load(use_cache=False)


def test_strictly_valid():
    problems = validate(catalogue.default_path(), strict=True)
    assert problems == []


def test_the_founding_article_structures_are_there(shipped):
    for structure_id in SEED:
        assert shipped.get(structure_id) is not None, structure_id
    transfo = shipped.get("le-transfo")
    assert set(transfo.carried_by) == {"france-active-franche-comte", "bge-franche-comte", "coopilote"}


def test_size_and_sources(shipped):
    assert len(shipped) >= 400
    assert all(
        s.sources and all(src.url.startswith(("http://", "https://")) for src in s.sources)
        for s in shipped.structures
    )


@pytest.mark.parametrize("region", [r.slug for r in geo.REGIONS])
def test_every_region_has_its_cress_and_every_stage(shipped, region):
    here = [s for s in shipped.structures if region in s.regions]
    assert any(s.kind == "cress" for s in here)
    assert {st for s in here for st in s.stages} == {"creation", "consolidation", "changement-echelle"}


def test_closed_structures_say_so(shipped):
    normandie = shipped.get("cress-normandie")
    assert normandie.status == "closed" and normandie.caveat
    assert not any(s.status == "closed" and not s.caveat for s in shipped.structures)


def test_entries_were_checked_recently(shipped):
    today = dt.date.today()
    assert all((today - dt.date.fromisoformat(s.updated)).days <= 730 for s in shipped.structures)
