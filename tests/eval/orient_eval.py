"""Orientation quality over labelled situations: is the expected door, and the expected
structure for each need, among the first three that `orient` proposes?

Usage: python tests/eval/orient_eval.py [SITUATIONS.yaml ...] [--misses]

Without a path it scores the development set (tests/eval/dev/situations.yaml). The
held-out set (tests/eval/heldout/situations.yaml) is scored with its path, figures only.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from search_eval import HERE, current_id, held_out, load_items

DEV_SITUATIONS = tuple(HERE / "dev" / f"situations{suffix}.yaml" for suffix in ("", "-v2", "-v3", "-v4"))


@dataclass(frozen=True)
class Graded:
    item: dict
    door_ok: bool
    needs_ok: dict[str, bool]
    doors: list[str]
    per_need: dict[str, list[str]]

    @property
    def all_ok(self) -> bool:
        return self.door_ok and all(self.needs_ok.values())


def _place(item: dict):
    from essmap import places

    if item.get("commune"):
        from essmap.communes import resolve_commune

        return resolve_commune(str(item["commune"]))
    if item.get("department"):
        return places.resolve_department(str(item["department"]))
    return places.resolve_region(str(item["region"]))


def grade(item: dict, catalogue) -> Graded:
    from essmap import orient

    found = orient.orient(catalogue, item["stage"], _place(item), tuple(item.get("needs", ())))
    doors: list[str] = []
    per_need: dict[str, list[str]] = {}
    for step in found.steps:
        ids = [r.structure.id for r in step.recommendations][:3]
        if step.kind == "door":
            doors = ids
        elif step.kind == "need" and step.need:
            per_need[step.need] = ids or [r.structure.id for r in step.alternatives][:3]
    expect = lambda ids: {current_id(catalogue, i) for i in ids}  # noqa: E731
    door_ok = bool(expect(item.get("door", ())) & set(doors))
    needs_ok = {
        need: bool(expect(ids) & set(per_need.get(need, ())))
        for need, ids in (item.get("need_expect") or {}).items()
    }
    return Graded(item, door_ok, needs_ok, doors, per_need)


def evaluate(catalogue=None, paths=DEV_SITUATIONS) -> list[Graded]:
    from essmap import catalogue as catalogue_module

    catalogue = catalogue or catalogue_module.load(use_cache=False)
    return [grade(item, catalogue) for item in load_items(paths)]


def main(argv: list[str]) -> None:
    paths = [a for a in argv if not a.startswith("--")] or DEV_SITUATIONS
    misses = "--misses" in argv
    if misses and any(held_out(p) for p in paths):
        sys.exit("--misses is not shown for the held-out set: read its figures only")
    graded = evaluate(paths=paths)
    needs = [ok for g in graded for ok in g.needs_ok.values()]
    print(
        f"{len(graded)} situations: door in first 3: {sum(g.door_ok for g in graded)}/{len(graded)}; "
        f"need answered in first 3: {sum(needs)}/{len(needs)}; "
        f"whole situation right: {sum(g.all_ok for g in graded)}/{len(graded)}"
    )
    if misses:
        for g in graded:
            if not g.all_ok:
                print(f"- {g.item.get('situation', '')[:90]}")
                if not g.door_ok:
                    print(f"    door: expected {g.item.get('door')}, got {g.doors}")
                for need, ok in g.needs_ok.items():
                    if not ok:
                        print(
                            f"    {need}: expected {g.item['need_expect'][need]}, got {g.per_need.get(need)}"
                        )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main(sys.argv[1:])
