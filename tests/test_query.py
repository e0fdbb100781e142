import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import catalogue_text, entry
from essmap import catalogue, query
from essmap.query import Filters


@pytest.fixture(scope="module")
def loaded():
    from conftest import MINI

    return catalogue.load(MINI)


def ids(result):
    return [s.id for s in result.structures]


def test_region_filter_keeps_regional_and_counts_national(loaded):
    result = query.find(loaded, Filters.parse(regions=["franche-comte"]))
    assert ids(result) == ["france-active-franche-comte", "le-transfo"]
    assert result.national_left_out == 1


def test_national_flag_includes_them_last(loaded):
    result = query.find(loaded, Filters.parse(regions=["bourgogne-franche-comte"], include_national=True))
    assert ids(result)[-1] == "france-active"


def test_department_filter_includes_regional_structures_covering_it(loaded):
    result = query.find(loaded, Filters.parse(departments=["21"]))
    assert ids(result) == ["le-transfo"]  # regional, covers the Côte-d'Or; FA Franche-Comté does not


def test_options_are_anded_values_ored(loaded):
    both = query.find(loaded, Filters.parse(regions=["bretagne", "occitanie"], stages=["creation"]))
    assert ids(both) == ["tag29", "premiere-brique"]
    assert ids(query.find(loaded, Filters.parse(regions=["bretagne"], kinds=["financeur"]))) == []


def test_no_place_lists_everything_in_stable_order(loaded):
    assert ids(query.find(loaded)) == [
        "france-active-franche-comte",
        "le-transfo",
        "tag29",
        "premiere-brique",
        "france-active",
    ]


def test_free_text_ranks_incubator_in_toulouse_first(loaded):
    result = query.find(loaded, text="incubateur toulouse")
    assert ids(result)[0] == "premiere-brique"


def test_free_text_is_accent_and_typo_tolerant(loaded):
    assert ids(query.find(loaded, text="premiere brik"))[0] == "premiere-brique"
    assert "le-transfo" in ids(query.find(loaded, text="BESANCON"))[:2]


def test_pick_exact_and_fuzzy(loaded):
    exact = query.pick(loaded, "transfo")
    assert exact.structure.id == "le-transfo" and exact.exact
    loose = query.pick(loaded, "transfoo")
    assert loose.structure.id == "le-transfo" and not loose.exact
    by_id = query.pick(loaded, "TAG29")
    assert by_id.structure.id == "tag29"


def test_pick_ambiguous_and_none(loaded):
    exact = query.pick(loaded, "france active")
    assert exact.exact and exact.structure.id == "france-active"
    ambiguous = query.pick(loaded, "france")
    assert ambiguous.structure is None
    assert {s.id for s, _ in ambiguous.candidates} == {"france-active", "france-active-franche-comte"}
    nothing = query.pick(loaded, "zzzzzz")
    assert nothing.structure is None


def test_relations_both_ways_and_missing(loaded):
    transfo = loaded.get("le-transfo")
    fafc = loaded.get("france-active-franche-comte")
    assert [s.id for s in query.relations(loaded, transfo).carried_by] == ["france-active-franche-comte"]
    assert [s.id for s in query.relations(loaded, fafc).carries] == ["le-transfo"]
    assert [s.id for s in query.relations(loaded, loaded.get("france-active")).members] == [
        "france-active-franche-comte"
    ]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_free_text_never_fails_and_only_returns_matches(loaded, text):
    result = query.find(loaded, text=text)
    if text.strip():
        assert all(s.id in result.scores for s in result.structures)
    else:
        assert len(result.structures) == len(loaded) - result.closed_left_out == 5


def test_show_takes_a_clear_winner_and_lists_close_candidates(write, run):
    """A whole-name match beats a name that only holds the words; a word many names hold names
    none of them; one clear winner is named on stderr."""
    path = write(
        catalogue_text(
            entry("premiere-brique", "Première Brique"),
            entry("fabrique-premiere-brique", "Fabrique à initiatives de Première Brique"),
            entry("incubateur-alpha", "Incubateur Alpha"),
            entry("incubateur-beta", "Incubateur Beta"),
        )
    )
    loose = run("show", "premiere brik", "-c", str(path), "-f", "json")
    assert loose.exit_code == 0 and json.loads(loose.stdout)["id"] == "premiere-brique"
    assert "Taking Première Brique (premiere-brique)" in loose.stderr
    several = run("show", "incubateur", "-c", str(path))
    assert several.exit_code == 2
    assert "incubateur-alpha" in several.stderr and "incubateur-beta" in several.stderr
    assert run("show", "incubateur alpah", "-c", str(path), "-f", "json").exit_code == 0


@given(
    st.dictionaries(
        st.integers(0, 200),
        st.tuples(
            st.floats(0, 100, allow_nan=False),
            st.sampled_from(
                sorted(
                    {
                        p * u * n
                        for p in query.PROXIMITY.values()
                        for u in (1.0, query.UNVERIFIED_FACTOR)
                        for n in (1.0, query.PLACE_IN_NAME)
                    }
                )
            ),
        ),
        max_size=60,
    )
)
def test_the_weighed_better_half_is_the_better_half_of_the_weighed_scores(items):
    """Asking the weight only where its bounds leave doubt keeps exactly what weighing all would,
    and a sentence with fewer than three answers keeps its better three quarters."""
    scores = {p: score for p, (score, _weight) in items.items()}
    weights = {p: weight for p, (_score, weight) in items.items()}
    weighed = {p: scores[p] * weights[p] for p in scores}
    brute = set(query.better_half(weighed))
    if len(brute) < query.FEW:  # too few: the better three quarters
        brute |= {p for p, w in weighed.items() if w >= max(weighed.values()) / 4}
    assert query.weighed_better_half(scores, weights.__getitem__) == brute
