"""'Did you mean' suggestions: the closest known values to what was typed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from essmap.text import fold


def closest(
    value: str,
    choices: Iterable[str],
    spellings: Mapping[str, str] | None = None,
    limit: int = 3,
    cutoff: float = 60,
) -> list[str]:
    """Up to `limit` choices closest to `value`, best first.

    `spellings` maps other folded spellings (labels, aliases) to a choice, so that a
    typo of a label suggests the choice's id.
    """
    from rapidfuzz import fuzz, process

    candidates = {fold(c): c for c in choices}
    for spelling, choice in (spellings or {}).items():
        candidates.setdefault(spelling, choice)
    query = fold(value)
    if not query:
        return []
    found: list[str] = []
    for spelling, _score, _index in process.extract(
        query, list(candidates), scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=cutoff
    ):
        choice = candidates[spelling]
        if choice not in found:
            found.append(choice)
    return found[:limit]
