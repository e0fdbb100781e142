"""Why a structure answers a request: the reasons `find --explain` and `orient` give, in French."""

from __future__ import annotations

from collections.abc import Iterable

from essmap import geo
from essmap.catalogue import Catalogue
from essmap.i18n import _
from essmap.index import positions
from essmap.model import KINDS, OFFERS, STAGES, STATUSES, THEMES, Structure


def where(structure: Structure, departments: frozenset[str]) -> str:
    """How a structure covers the place made of these departments."""
    if structure.national:
        return _("national structure: serves everywhere")
    covered = sorted(structure.coverage & departments)
    if structure.departments:
        return _("covers {places}").format(places=", ".join(geo.department_label(d) for d in covered[:3]))
    regions = [r for r in structure.regions if geo.DEPARTMENTS_OF_REGION[r] & departments]
    return _("covers the region {regions}").format(regions=", ".join(geo.region_name(r) for r in regions))


def collectives(catalogue: Catalogue, departments: frozenset[str]) -> dict[str, Structure]:
    """The active regional collectives (chains of support) that serve these departments."""
    index = catalogue.index
    bits = index.bits("kind", ("collectif-regional",)) & index.bits("listed", ("true",))
    bits &= index.bits("department", departments) & ~index.bits("national", ("true",))
    found = (catalogue.at(p) for p in positions(bits))
    return {s.id: s for s in found}


def membership(structure: Structure, chains: dict[str, Structure]) -> list[str]:
    names = [chains[i].name for i in structure.member_of if i in chains]
    return [_("member of {names} (regional collective)").format(names=", ".join(names))] if names else []


def _matched(label: str, vocabulary, wanted: Iterable[str], have: Iterable[str]) -> list[str]:
    common = [i for i in wanted if i in set(have)]
    return [label.format(labels=", ".join(vocabulary.label(i) for i in common))] if common else []


FIELD_LABELS = ("name: {words}", "kind, offer or theme: {words}", "description: {words}")


def text_reasons(structure: Structure, understood) -> list[str]:
    """Which words of the request matched which field, and which needs, kinds and themes it meets."""
    from essmap.index import words_of
    from essmap.text import key
    from essmap.understand import stem

    found: list[str] = []
    spellings = (structure.name, *structure.aliases, structure.id, *structure.former_ids)
    if key(understood.text) in {key(n) for n in spellings}:
        found.append(_("exact name: {name}").format(name=structure.name))
    fields = words_of(structure)
    by_field: dict[int, list[str]] = {}
    for word in dict.fromkeys(understood.words):
        hits = [fields[f] for f in (word, stem(word)) if f in fields]
        if hits:
            by_field.setdefault(min(hits), []).append(word)
    found += [_(FIELD_LABELS[f]).format(words=", ".join(words)) for f, words in sorted(by_field.items())]
    have = {
        "offer": set(structure.offers),
        "kind": {structure.kind},
        "theme": set(structure.themes),
        "stage": set(structure.stages),
    }
    labels = {
        "offer": (_("offers: {labels}"), OFFERS),
        "kind": (_("kind: {labels}"), KINDS),
        "theme": (_("theme: {labels}"), THEMES),
        "stage": (_("stage: {labels}"), STAGES),
    }
    for word, facet, value in dict.fromkeys(understood.concepts):
        if facet not in labels:
            continue
        label, vocabulary = labels[facet]
        if value in have[facet]:
            found.append(label.format(labels=vocabulary.label(value)) + _(" (“{word}”)").format(word=word))
        elif facet == "offer" and value in structure.derived_offers:
            found.append(
                label.format(labels=vocabulary.label(value)) + _(", by its kind (“{word}”)").format(word=word)
            )
    for typed, place in understood.places:
        found.append(
            _("place: {label}").format(label=f"{typed} → {', '.join(sorted(place.departments)[:6])}")
        )
    return found


def reasons(
    catalogue: Catalogue,
    structures: list[Structure],
    filters,
    scores: dict[str, float],
    understood=None,
) -> dict[str, list[str]]:
    """For each structure found, every reason it passed `filters` and the text: which words matched
    which field, where it works, and its relevance (the order: exact name, then relevance weighed
    by proximity and lifecycle)."""
    understanding = understood
    places = list(filters.places) + ([p for _, p in understanding.places] if understanding else [])
    departments = frozenset(d for place in places for d in place.departments)
    chains = collectives(catalogue, departments) if departments else {}
    found: dict[str, list[str]] = {}
    for structure in structures:
        why = text_reasons(structure, understanding) if understanding else []
        why += [where(structure, departments)] if departments else []
        why += _matched(_("stage: {labels}"), STAGES, filters.stages, structure.stages)
        why += _matched(_("kind: {labels}"), KINDS, filters.kinds, (structure.kind,))
        why += _matched(_("theme: {labels}"), THEMES, filters.themes, structure.themes)
        why += _matched(_("offers: {labels}"), OFFERS, filters.offers, structure.all_offers)
        if not structure.is_active:
            why.append(
                _("status: {status} (ranked after the active ones)").format(
                    status=STATUSES.label(structure.status).lower()
                )
            )
        if structure.id in scores:
            why.append(_("relevance: {score}/100").format(score=f"{scores[structure.id]:.0f}"))
        found[structure.id] = why + membership(structure, chains)
    return found
