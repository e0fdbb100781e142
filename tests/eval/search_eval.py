"""Search quality over labelled query sets (recall at 3, mean reciprocal rank, per group).

Usage: python tests/eval/search_eval.py [SET.yaml ...] [--misses]

Without a path it scores the development sets (tests/eval/queries.yaml and
tests/eval/dev/queries.yaml). The held-out sets (tests/eval/heldout/ and heldout2/) were
written by readers who never saw the search code: score them with their path, read only
the figures, and never tune on them (--misses is refused for them).

Each query runs through the real search (filters as a person types them, then the
free text). Recall at 3 is the share of expected entries among the first three results
(at most three are expected); the reciprocal rank is that of the first expected entry.
Expected ids are followed through renames and mergers (former ids, replaced_by).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.yaml"
DEV_SETS = (
    QUERIES,
    HERE / "dev" / "queries.yaml",
    HERE / "dev" / "queries-v3.yaml",
    HERE / "dev" / "queries-v4.yaml",
    HERE / "dev" / "queries-v5.yaml",
    HERE / "dev" / "queries-v6.yaml",
    HERE / "dev" / "queries-v7.yaml",
    HERE / "dev" / "queries-v8.yaml",
)
HELDOUT_SETS = (HERE / "heldout", HERE / "heldout2")
OPTIONS = ("region", "department", "commune", "stage", "theme", "kind", "offer")


@dataclass(frozen=True)
class Outcome:
    item: dict
    expected: tuple[str, ...]
    ranked: list[str]

    @property
    def group(self) -> str:
        return self.item.get("group", "other")

    @property
    def recall_at_3(self) -> float:
        return len(set(self.expected) & set(self.ranked[:3])) / min(len(self.expected), 3)

    @property
    def reciprocal_rank(self) -> float:
        for rank, found in enumerate(self.ranked, 1):
            if found in self.expected:
                return 1 / rank
        return 0.0


def current_id(catalogue, structure_id: str) -> str:
    """The id an expected entry has now: former ids and mergers followed."""
    resolve = getattr(catalogue, "resolve", None)
    structure = resolve(structure_id) if resolve else catalogue.get(structure_id)
    seen = set()
    while structure is not None and structure.status != "active" and structure.replaced_by:
        if structure.id in seen:
            break
        seen.add(structure.id)
        structure = catalogue.get(structure.replaced_by[0])
    return structure.id if structure is not None else structure_id


def still_offered(catalogue, structure_id: str) -> bool:
    """Whether the tool may offer this structure: a closed one (no successor) is never
    expected of it, since find must leave it out."""
    structure = catalogue.get(structure_id)
    return structure is None or structure.is_listed


def run(item: dict, catalogue) -> Outcome | None:
    from essmap import query

    as_list = lambda value: [value] if isinstance(value, str) else list(value or ())  # noqa: E731
    filters = query.Filters.parse(
        regions=as_list(item.get("region")),
        departments=as_list(item.get("department")),
        communes=as_list(item.get("commune")),
        stages=as_list(item.get("stage")),
        themes=as_list(item.get("theme")),
        kinds=as_list(item.get("kind")),
        offers=as_list(item.get("offer")),
        include_national=True,
    )
    result = query.find(catalogue, filters, item.get("query"))
    expected = tuple(
        i
        for i in dict.fromkeys(current_id(catalogue, i) for i in item["expect"])
        if still_offered(catalogue, i)
    )
    if not expected:
        return None  # every structure it expects has closed since it was written
    return Outcome(item, expected, [s.id for s in result.structures])


def load_items(paths) -> list[dict]:
    items: list[dict] = []
    for path in paths:
        if Path(path).is_file():
            items += yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return items


def evaluate(catalogue=None, path=None) -> tuple[float, float, list[Outcome]]:
    from essmap import catalogue as catalogue_module

    catalogue = catalogue or catalogue_module.load(use_cache=False)
    paths = DEV_SETS if path is None else (path if isinstance(path, (list, tuple)) else [path])
    outcomes = [o for o in (run(item, catalogue) for item in load_items(paths)) if o is not None]
    recall = sum(o.recall_at_3 for o in outcomes) / len(outcomes)
    mrr = sum(o.reciprocal_rank for o in outcomes) / len(outcomes)
    return recall, mrr, outcomes


def by_group(outcomes: list[Outcome]) -> dict[str, tuple[int, float, float]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.group].append(outcome)
    return {
        name: (
            len(found),
            sum(o.recall_at_3 for o in found) / len(found),
            sum(o.reciprocal_rank for o in found) / len(found),
        )
        for name, found in sorted(groups.items())
    }


def held_out(path) -> bool:
    return any(folder in Path(path).resolve().parents for folder in HELDOUT_SETS)


def main(argv: list[str]) -> None:
    paths = [a for a in argv if not a.startswith("--")] or None
    misses = "--misses" in argv
    if misses and paths and any(held_out(p) for p in paths):
        sys.exit("--misses is not shown for the held-out set: read its figures only")
    recall, mrr, outcomes = evaluate(path=paths)
    print(f"{len(outcomes)} queries: recall@3 = {recall:.3f}, MRR = {mrr:.3f}")
    for name, (count, group_recall, group_mrr) in by_group(outcomes).items():
        print(f"  {name:14} {count:4}  recall@3 {group_recall:.3f}  MRR {group_mrr:.3f}")
    if misses:
        for outcome in outcomes:
            if outcome.recall_at_3 < 1:
                item = outcome.item
                asked = {k: item[k] for k in ("query", *OPTIONS) if k in item}
                print(f"- {asked}: expected {list(outcome.expected)}, got {outcome.ranked[:3]}")


if __name__ == "__main__":
    main(sys.argv[1:])
