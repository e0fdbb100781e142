"""Shell completion of option values: places, vocabularies and structure ids.

Each function takes what has been typed so far and returns (value, help) pairs. They
import nothing heavy, and ids come from the cached catalogue, so Tab feels instant.
"""

from __future__ import annotations

from collections.abc import Iterable

from essmap.text import fold


def _matching(incomplete: str, items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    typed = fold(incomplete)
    return [
        (value, help)
        for value, help in items
        if fold(value).startswith(typed) or fold(help).startswith(typed)
    ]


def regions(incomplete: str) -> list[tuple[str, str]]:
    from essmap import geo

    return _matching(incomplete, ((r.slug, r.name) for r in geo.REGIONS))


def departments(incomplete: str) -> list[tuple[str, str]]:
    from essmap import geo

    return _matching(incomplete, ((d.code, d.name) for d in geo.DEPARTMENTS))


def _vocabulary(name: str):
    def complete(incomplete: str) -> list[tuple[str, str]]:
        from essmap import model

        return _matching(incomplete, ((t.id, t.label) for t in getattr(model, name)))

    return complete


stages = _vocabulary("STAGES")
themes = _vocabulary("THEMES")
kinds = _vocabulary("KINDS")
offers = _vocabulary("OFFERS")


def structure_ids(ctx, incomplete: str) -> list[tuple[str, str]]:
    """Ids of the catalogue named by --catalogue (or the default one), with their names."""
    from essmap import catalogue
    from essmap.errors import EssmapError

    try:
        loaded = catalogue.load(ctx.params.get("catalogue"))
    except EssmapError:
        return []
    typed = incomplete.lower()
    return [(names[0], names[1]) for names in loaded.index.names if names[0].startswith(typed)][:200]
