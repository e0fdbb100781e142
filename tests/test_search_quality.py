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
# raise it, never lower it.
RECALL_AT_3 = 0.92
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
