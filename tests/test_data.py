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


def test_every_entry_says_when_it_was_checked(shipped):
    """`updated` is a real day, from the first curated release on, never later than the newest
    source date would allow to be wrong by itself (fixed dates: no calendar time bomb)."""
    first_release = dt.date(2025, 1, 1)
    for s in shipped.structures:
        checked = dt.date.fromisoformat(s.updated)
        assert checked >= first_release, s.id
        newest = max((src.date for src in s.sources if src.date), default="")
        assert newest[:10] <= s.updated, s.id


def test_lifecycle_invariants(shipped):
    """No listed entry has a successor; every successor and former id resolves; merged and closed
    entries say where their status comes from."""
    ids = {s.id for s in shipped.structures}
    for s in shipped.structures:
        if s.is_listed:
            assert not s.replaced_by, s.id
        else:
            assert s.status_source in {src.url for src in s.sources}, s.id
            assert all(shipped.get(i) is not None and shipped.get(i).is_listed for i in s.replaced_by), s.id
        for former in s.former_ids:
            assert former not in ids and shipped.resolve(former) is s, former


def test_every_entry_has_offers_as_the_tool_sees_them(shipped):
    assert [s.id for s in shipped.structures if not s.all_offers] == []


def test_the_shipped_file_is_canonical():
    from essmap import fmt

    assert fmt.format_file(catalogue.default_path(), check=True)


def test_active_means_a_recent_page_or_its_own_site(shipped):
    assert [s.id for s in shipped.structures if s.is_active and not s.shows_active] == []
