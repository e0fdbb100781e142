import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essmap import communes, geo, places
from essmap.errors import UnknownValue, UsageError


@pytest.mark.parametrize(
    "typed,department",
    [
        ("Brest", "29"),
        ("brest", "29"),
        ("29200", "29"),
        ("Quimperlé", "29"),
        ("quimperle", "29"),
        ("St Etienne", "42"),
        ("Saint-Étienne", "42"),
        ("75011", "75"),
        ("97400", "974"),
        ("Ajaccio", "2A"),
    ],
)
def test_commune_resolves_to_its_department(typed, department):
    assert communes.resolve_commune(typed).departments == {department}


def test_ambiguous_name_lists_candidates_with_departments():
    with pytest.raises(UsageError) as error:
        communes.resolve_commune("Saint-Denis")
    message = str(error.value)
    assert (
        "4 departments" in message and "(93, Seine-Saint-Denis)" in message and "(974, La Réunion)" in message
    )


def test_unknown_name_suggests_and_unknown_postcode_says_so():
    with pytest.raises(UnknownValue, match="did you mean 'Brest'"):
        communes.resolve_commune("Bresst")
    with pytest.raises(UsageError, match="unknown postal code '99999'"):
        communes.resolve_commune("99999")


def test_table_is_complete_and_its_source_recorded():
    table = communes.communes()
    assert len(table) > 34_000
    assert {c.department for c in table} == set(geo.DEPARTMENT_BY_CODE)
    source = json.loads((communes.TABLE.parent / "communes.source.json").read_text())
    assert source["package"] == "@etalab/decoupage-administratif" and source["licence"] == "MIT"
    assert source["rows"] == len(table)


def test_resolve_place_falls_back_to_communes():
    assert places.resolve_place("Brest").departments == {"29"}
    assert places.resolve_place("bretagne").kind == "region"


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(sorted({c.postcodes[0] for c in communes.communes() if c.postcodes})))
def test_every_postcode_resolves_to_departments_of_its_communes(code):
    place = communes.resolve_commune(code)
    assert place.departments == {c.department for c in communes.candidates(code)}


def test_the_compiled_table_answers_like_the_shipped_one_and_damage_is_never_served(private_cache):
    from essmap import communes

    communes._database.cache_clear()
    assert [c.department for c in communes.candidates("Brest")][:1] == ["29"]
    compiled = list(private_cache.glob("communes-*.sqlite"))
    assert len(compiled) == 1 and compiled[0].stat().st_mode & 0o777 == 0o600
    assert {c.department for c in communes.candidates("29200")} == {"29"}
    compiled[0].write_bytes(b"not a database")
    communes._database.cache_clear()
    assert [c.department for c in communes.candidates("Brest")][:1] == ["29"]
    communes._database.cache_clear()


@pytest.mark.parametrize(("name", "department"), [("Montreuil", "93"), ("Villefranche-sur-Saône", "69")])
def test_a_name_means_the_town_ten_times_as_large_as_any_other(name, department):
    place = communes.resolve_commune(name)
    assert place.departments == {department} and f"({department})" in place.label


@pytest.mark.parametrize(
    ("typed", "department"), [("Louhans", "71"), ("Carhaix", "29"), ("Charleville", "08")]
)
def test_the_first_words_of_a_hyphenated_name_mean_the_town(typed, department):
    # "Charleville" is a village of the Marne too, but Charleville-Mézières is what people mean
    assert communes.resolve_commune(typed).departments == {department}


def test_first_words_shared_by_towns_of_a_like_size_stay_ambiguous():
    assert communes.named_by_first_words("Boulogne") == []  # Billancourt or sur-Mer
    assert communes.named_by_first_words("Villefranche") == []  # sur-Saône or de-Rouergue


@pytest.mark.parametrize(("typed", "department"), [("Flers 61100", "61"), ("Saint-Leu, 97436", "974")])
def test_a_name_with_its_postal_code_is_that_town(typed, department):
    assert communes.resolve_commune(typed).departments == {department}


@pytest.mark.parametrize(
    ("typed", "departments"),
    [
        ("Carhaix", {"29"}),
        ("Flers 61100", {"61"}),
        ("Montreuil", {"93"}),
        ("Touraine", {"37"}),
        ("Bretagne", None),
    ],
)
def test_one_place_field_takes_what_orient_and_find_take(typed, departments):
    place = places.resolve_place(typed)
    assert departments is None or place.departments == departments


def test_one_place_field_names_no_unknown_place():
    with pytest.raises(UnknownValue):
        places.resolve_place("Atlantide")


def test_without_the_compiled_table_the_same_towns_are_found(monkeypatch):
    asked = ("Carhaix", "Montreuil", "29270", "Boulogne")

    def answers():
        return (
            [[c.code for c in communes.candidates(t)] for t in asked],
            [[c.code for c in communes.named_by_first_words(t)] for t in asked],
            sorted(c.code for c in communes.largest(100000)),
        )

    compiled = answers()
    monkeypatch.setattr(communes, "_database", lambda: None)  # no usable cache folder
    assert answers() == compiled and compiled[1][0]  # Carhaix-Plouguer, either way
