"""Search quality over the labelled queries of tests/eval/queries.yaml.

Usage: python tests/eval/search_eval.py [--misses]

Each query runs through the real search (filters as a person types them, then the
free text); it reports recall at 3 (the share of expected entries found among the
first three results) and the mean reciprocal rank of the first expected entry.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.yaml"
OPTIONS = ("region", "department", "commune", "stage", "theme", "kind", "offer")


@dataclass(frozen=True)
class Outcome:
    item: dict
    ranked: list[str]

    @property
    def recall_at_3(self) -> float:
        expected = self.item["expect"]
        return len(set(expected) & set(self.ranked[:3])) / min(len(expected), 3)

    @property
    def reciprocal_rank(self) -> float:
        for rank, found in enumerate(self.ranked, 1):
            if found in self.item["expect"]:
                return 1 / rank
        return 0.0


def run(item: dict, catalogue) -> Outcome:
    from essmap import query

    filters = query.Filters.parse(
        regions=item.get("region", ()),
        departments=item.get("department", ()),
        communes=item.get("commune", ()),
        stages=item.get("stage", ()),
        themes=item.get("theme", ()),
        kinds=item.get("kind", ()),
        offers=item.get("offer", ()),
        include_national=True,
    )
    result = query.find(catalogue, filters, item.get("query"))
    return Outcome(item, [s.id for s in result.structures])


def evaluate(catalogue=None, path: Path = QUERIES) -> tuple[float, float, list[Outcome]]:
    from essmap import catalogue as catalogue_module

    catalogue = catalogue or catalogue_module.load(use_cache=False)
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    outcomes = [run(item, catalogue) for item in items]
    recall = sum(o.recall_at_3 for o in outcomes) / len(outcomes)
    mrr = sum(o.reciprocal_rank for o in outcomes) / len(outcomes)
    return recall, mrr, outcomes


def main() -> None:
    recall, mrr, outcomes = evaluate()
    print(f"{len(outcomes)} queries: recall@3 = {recall:.3f}, MRR = {mrr:.3f}")
    if "--misses" in sys.argv:
        for outcome in outcomes:
            if outcome.recall_at_3 < 1:
                item = outcome.item
                asked = {k: item[k] for k in ("query", *OPTIONS) if k in item}
                print(f"- {asked}: expected {item['expect']}, got {outcome.ranked[:3]}")


if __name__ == "__main__":
    main()
