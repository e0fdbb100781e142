"""'Did you mean' suggestions: the closest known values to what was typed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from essmap.text import fold

CLOSE_MARGIN = 8  # suggestions this close to the best one are worth showing too


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
    matches = process.extract(
        query, list(candidates), scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=cutoff
    )
    for spelling, score, _index in matches:
        choice = candidates[spelling]
        if choice not in found and score >= matches[0][1] - CLOSE_MARGIN:
            found.append(choice)
    return found[:limit]
