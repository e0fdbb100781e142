import pytest

from essmap.errors import UnknownValue
from essmap.model import KINDS, OFFERS, STAGES, THEMES


@pytest.mark.parametrize("typed", ["creation", "création", "Création", "CREATION"])
def test_stage_creation(typed):
    assert STAGES.resolve(typed) == "creation"


@pytest.mark.parametrize("typed", ["Changement d'échelle", "changement-echelle", "changement d echelle"])
def test_stage_scaling(typed):
    assert STAGES.resolve(typed) == "changement-echelle"


def test_stage_typo_suggests():
    with pytest.raises(UnknownValue, match="did you mean 'creation'"):
        STAGES.resolve("creaton")


def test_vocabularies_have_unique_ids_and_labels():
    for vocabulary in (STAGES, KINDS, THEMES, OFFERS):
        assert len(set(vocabulary.ids)) == len(vocabulary.ids)
        assert all(term.label for term in vocabulary)


def test_kinds_match_the_sources_readme():
    expected = (
        "cress dla incubateur accelerateur fabrique-a-initiatives pole-ess cae couveuse pepiniere "
        "tiers-lieu financeur reseau collectif-regional plateforme programme agence autre"
    ).split()
    assert list(KINDS.ids) == expected


def test_kinds_as_met_orders_every_kind_once():
    from essmap.model import KINDS_AS_MET

    assert sorted(KINDS_AS_MET) == sorted(KINDS.ids)


def test_every_kind_says_what_it_implies_in_the_offer_vocabulary():
    from essmap.model import KIND_OFFERS, KINDS, LEXICON_PHRASES, LEXICON_WORDS, OFFERS, STAGES, THEMES

    assert set(KIND_OFFERS) == set(KINDS.ids)
    assert all(set(offers) <= set(OFFERS.ids) for offers in KIND_OFFERS.values())
    vocabularies = {"offer": OFFERS, "kind": KINDS, "theme": THEMES, "stage": STAGES}
    for meaning in (*LEXICON_WORDS.values(), *LEXICON_PHRASES.values()):
        for facet, value in meaning:
            assert facet == "word" or value in vocabularies[facet], (facet, value)


def test_a_thematic_structure_is_never_derived_to_welcome_anyone():
    from essmap.model import Source, Structure

    pole = Structure("p", "P", "pole-ess", ("creation",), "d", (Source("https://x.org"),), "2026-01-01")
    assert "accueil-orientation" in pole.derived_offers
    cluster = Structure(
        "c", "C", "pole-ess", ("creation",), "d", (Source("https://x.org"),), "2026-01-01", thematic=True
    )
    assert "accueil-orientation" not in cluster.all_offers
