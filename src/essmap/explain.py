"""Why a structure answers a request: the reasons `find --explain` and `orient` give, in French."""

from __future__ import annotations

from collections.abc import Iterable

from essmap import geo
from essmap.catalogue import Catalogue
from essmap.index import positions
from essmap.model import KINDS, OFFERS, STAGES, THEMES, Structure


def where(structure: Structure, departments: frozenset[str]) -> str:
    """How a structure covers the place made of these departments."""
    if structure.national:
        return "structure nationale : sert partout"
    covered = sorted(structure.coverage & departments)
    if structure.departments:
        return "couvre " + ", ".join(geo.department_label(d) for d in covered[:3])
    regions = [r for r in structure.regions if geo.DEPARTMENTS_OF_REGION[r] & departments]
    return "couvre la région " + ", ".join(geo.region_name(r) for r in regions)


def collectives(catalogue: Catalogue, departments: frozenset[str]) -> dict[str, Structure]:
    """The active regional collectives (chains of support) that serve these departments."""
    index = catalogue.index
    bits = index.bits("kind", ("collectif-regional",)) & index.bits("listed", ("true",))
    bits &= index.bits("department", departments) & ~index.bits("national", ("true",))
    found = (catalogue.at(p) for p in positions(bits))
    return {s.id: s for s in found}


def membership(structure: Structure, chains: dict[str, Structure]) -> list[str]:
    names = [chains[i].name for i in structure.member_of if i in chains]
    return [f"membre de {', '.join(names)} (collectif régional)"] if names else []


def _matched(label: str, vocabulary, wanted: Iterable[str], have: Iterable[str]) -> list[str]:
    common = [i for i in wanted if i in set(have)]
    return [f"{label} : {', '.join(vocabulary.label(i) for i in common)}"] if common else []


def reasons(
    catalogue: Catalogue, structures: list[Structure], filters, scores: dict[str, float]
) -> dict[str, list[str]]:
    """For each structure found, every reason it passed `filters` (and the free text, with its score)."""
    departments = frozenset(d for place in filters.places for d in place.departments)
    chains = collectives(catalogue, departments) if departments else {}
    found: dict[str, list[str]] = {}
    for structure in structures:
        why = [where(structure, departments)] if departments else []
        why += _matched("étape", STAGES, filters.stages, structure.stages)
        why += _matched("type", KINDS, filters.kinds, (structure.kind,))
        why += _matched("thème", THEMES, filters.themes, structure.themes)
        why += _matched("propose", OFFERS, filters.offers, structure.offers)
        if structure.id in scores:
            why.append(f"texte : pertinence {scores[structure.id]:.0f}/100")
        found[structure.id] = why + membership(structure, chains)
    return found
