import pytest
from hypothesis import given
from hypothesis import strategies as st

from essmap import geo, places
from essmap.errors import UnknownValue


def test_counts():
    assert len(geo.REGIONS) == 18
    assert len(geo.DEPARTMENTS) == 101
    assert len(geo.FORMER_REGIONS) == 22
    assert sum(len(v) for v in geo.DEPARTMENTS_OF_REGION.values()) == 101


def test_former_regions_cover_metropolitan_departments_once():
    codes = [c for codes in geo.FORMER_REGIONS.values() for c in codes]
    assert len(codes) == len(set(codes)) == 96
    assert set(codes) <= geo.ALL_DEPARTMENTS


@pytest.mark.parametrize(
    "typed", ["Île-de-France", "ile de france", "ILE-DE-FRANCE", "ile-de-france", "11", "FR-IDF", "fr-idf"]
)
def test_region_spellings(typed):
    assert places.resolve_region(typed).id == "ile-de-france"


def test_former_region_resolves_to_its_departments():
    place = places.resolve_region("Midi-Pyrénées")
    assert place.kind == "former-region"
    assert place.departments == {"09", "12", "31", "32", "46", "65", "81", "82"}
    assert places.resolve_region("bretagne").kind == "region"  # a current name wins


@pytest.mark.parametrize(
    "typed,code",
    [("29", "29"), ("Finistère", "29"), ("2a", "2A"), ("FR-2B", "2B"), ("1", "01"), ("974", "974")],
)
def test_department_spellings(typed, code):
    assert places.resolve_department(typed).departments == {code}


def test_unknown_region_suggests():
    with pytest.raises(UnknownValue) as error:
        places.resolve_region("bretagn")
    assert error.value.exit_code == 2
    assert "did you mean 'bretagne'" in str(error.value)


def test_department_given_as_region_says_so():
    with pytest.raises(UnknownValue, match="use --department 29"):
        places.resolve_region("finistere")


def test_coverage():
    assert geo.coverage(True, (), ()) == geo.ALL_DEPARTMENTS
    assert geo.coverage(False, ("bretagne",), ()) == {"22", "29", "35", "56"}
    assert geo.coverage(False, ("bretagne", "corse"), ("29",)) == {"29", "2A", "2B"}


@given(st.sampled_from(geo.DEPARTMENTS))
def test_every_department_resolves_by_code_and_name(dep):
    assert places.resolve_department(dep.code).id == dep.code
    assert places.resolve_department(dep.name.upper()).id == dep.code


@pytest.mark.parametrize(
    "typed,slug",
    [
        ("IDF", "ile-de-france"),
        ("PACA", "provence-alpes-cote-d-azur"),
        ("Région Sud", "provence-alpes-cote-d-azur"),
        ("AURA", "auvergne-rhone-alpes"),
        ("HDF", "hauts-de-france"),
        ("BFC", "bourgogne-franche-comte"),
        ("naq", "nouvelle-aquitaine"),
        ("PDL", "pays-de-la-loire"),
        ("cvl", "centre-val-de-loire"),
        ("BZH", "bretagne"),
    ],
)
def test_region_abbreviations(typed, slug):
    assert places.resolve_region(typed).id == slug


def test_nearby_departments():
    assert set(geo.nearby_departments("75")) == {"92", "93", "94", "78"}
    assert geo.nearby_departments("974") == []
    assert "2B" in geo.nearby_departments("2A")
