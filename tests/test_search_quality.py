"""The labelled queries of tests/eval must keep finding their answers (recall at 3, MRR)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "eval"))

import search_eval  # noqa: E402

# The level measured on the development sets (queries.yaml and dev/, 342 queries since the fourth set of
# English, needs and typos was added; 0.938 / 0.890 on the first 267) after the ranking rework of
# 2026-12-06 (README: "Search quality"), then 0.923 / 0.877 once the better half of a sentence is
# judged on relevance weighed by proximity, and 0.931 / 0.884 with English place names and words;
# with the fifth set (70 needs and typos, 412 queries in all) 0.924 / 0.883 after its fixes;
# with the sixth and seventh (150 needs and English queries in small towns, scored 0.829 / 0.764
# and 0.688 / 0.633 on arrival), 562 queries: 0.929 / 0.878 after their fixes; with the eighth
# (105 queries in the seven groups, 0.962 / 0.889 on arrival), 667 queries: 0.939 / 0.889.
# Raise it, never lower it, except when a new set is added (say so here).
RECALL_AT_3 = 0.93
MRR = 0.88


def test_the_set_is_large_and_well_formed():
    from essmap import catalogue

    items = search_eval.load_items(search_eval.DEV_SETS)
    assert len(items) >= 100
    loaded = catalogue.load(use_cache=False)
    ids = {s.id for s in loaded.structures}
    for item in items:
        expected = {search_eval.current_id(loaded, i) for i in item["expect"]}
        assert item["expect"] and expected <= ids, item
        assert item.get("query") or any(k in item for k in search_eval.OPTIONS), item


def test_recall_and_mrr_do_not_drop():
    recall, mrr, outcomes = search_eval.evaluate()
    misses = [o.item.get("query") for o in outcomes if o.recall_at_3 < 1]
    assert round(recall, 3) >= RECALL_AT_3, misses
    assert round(mrr, 3) >= MRR


# Orientation on the development situations (dev/situations*.yaml, 75 in four sets written by
# advisers who did not see the code): the expected door among the first three, and for each
# need an expected structure among the first three. 75/75 and 176/177 on 2026-12-06.
DOORS = 1.0
NEEDS = 0.99


def test_orientation_opens_the_right_doors():
    import orient_eval

    graded = orient_eval.evaluate()
    assert len(graded) >= 30
    doors = sum(g.door_ok for g in graded) / len(graded)
    needs = [ok for g in graded for ok in g.needs_ok.values()]
    wrong = [g.item["situation"][:60] for g in graded if not g.all_ok]
    assert doors >= DOORS, wrong
    assert sum(needs) / len(needs) >= NEEDS, wrong
