from hypothesis import given
from hypothesis import strategies as st

from essmap.text import fold, key, slugify


def test_fold_removes_accents_case_and_punctuation():
    assert fold("Île-de-France") == "ile de france"
    assert fold("  Provence-Alpes-Côte d'Azur ") == "provence alpes cote d azur"
    assert fold("Cœur") == "coeur"


def test_slugify_and_key():
    assert slugify("Pays de la Loire") == "pays-de-la-loire"
    assert key("Le Transfo") == "transfo"
    assert key("Les") == "les"  # a name made only of stopwords keeps them


@given(st.text())
def test_fold_is_idempotent_and_ascii(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert all(c.isascii() for c in folded)
