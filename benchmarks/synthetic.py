"""Deterministic synthetic catalogues of any size, valid under `essmap validate`."""

from __future__ import annotations

import random

from essmap import geo
from essmap.model import KINDS, OFFERS, STAGES, THEMES

CITIES = ["Rennes", "Brest", "Lyon", "Toulouse", "Lille", "Nantes", "Besançon", "Ajaccio", "Cayenne", "Metz"]
WORDS = [
    "coopérative",
    "solidaire",
    "incubateur",
    "territoire",
    "emploi",
    "transition",
    "réseau",
    "alimentation",
    "fabrique",
    "pôle",
    "accompagnement",
    "économie",
    "sociale",
    "projet",
    "local",
]


SYLLABLES = ["ba", "ko", "ri", "mu", "sa", "te", "lo", "vi", "na", "pe", "du", "zo", "ga", "fi", "ré", "jo"]


def _token(index: int) -> str:
    """A pronounceable made-up word, different for every index: the distinctive part of a name."""
    letters = []
    while True:
        index, rest = divmod(index, len(SYLLABLES))
        letters.append(SYLLABLES[rest])
        if not index:
            break
    return "".join(letters).capitalize()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def entry_yaml(index: int, rng: random.Random) -> str:
    region = rng.choice(geo.REGIONS)
    departments = sorted(geo.DEPARTMENTS_OF_REGION[region.slug])
    lines = [
        f"  - id: structure-{index}",
        f"    name: {_quote(' '.join(rng.sample(WORDS, 2)).capitalize() + ' ' + _token(index * 7919 % 1_000_003))}",
        f"    kind: {rng.choice(KINDS.ids)}",
        f"    stages: [{', '.join(rng.sample(STAGES.ids, rng.randint(1, 3)))}]",
        f"    themes: [{', '.join(rng.sample(THEMES.ids, rng.randint(0, 3)))}]",
        f"    offers: [{', '.join(rng.sample(OFFERS.ids, rng.randint(0, 3)))}]",
    ]
    if rng.random() < 0.05:
        lines.append("    national: true")
    else:
        lines.append(f"    regions: [{region.slug}]")
        if rng.random() < 0.6:
            lines.append(f"    departments: [{_quote(rng.choice(departments))}]")
        lines.append(f"    city: {rng.choice(CITIES)}")
    lines += [
        f"    website: https://example.org/s{index}",
        f"    description: {_quote(' '.join(rng.choice(WORDS) for _ in range(25)).capitalize() + '.')}",
        "    sources:",
        f"      - url: https://example.org/source/{index}",
        f"        date: '20{rng.randint(15, 25)}-0{rng.randint(1, 9)}'",
        "    updated: '2026-01-15'",
    ]
    return "\n".join(lines) + "\n"


def catalogue_yaml(size: int, seed: int = 2026) -> str:
    rng = random.Random(seed)
    return "licence: ODbL-1.0\nupdated: '2026-01-15'\nstructures:\n" + "".join(
        entry_yaml(i, rng) for i in range(size)
    )


if __name__ == "__main__":
    import sys

    size, target = int(sys.argv[1]), sys.argv[2]
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(catalogue_yaml(size))
