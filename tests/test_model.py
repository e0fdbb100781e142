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
