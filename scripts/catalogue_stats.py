"""Figures of the shipped catalogue for release notes: statuses, reachability, offers, sourcing.

Usage: python scripts/catalogue_stats.py [CATALOGUE]
"""

from __future__ import annotations

import collections
import sys

from essmap import catalogue

MIRRORS = (
    "pdfslide",
    "docplayer",
    "fdocuments",
    "fdokument",
    "studylibfr",
    "doczz",
    "123dok",
    "readkong",
    "erreur-systeme",
)


def main() -> None:
    loaded = catalogue.load(sys.argv[1] if len(sys.argv) > 1 else None, use_cache=False)
    every = loaded.structures
    active = [s for s in every if s.is_active]
    listed = [s for s in every if s.is_listed]
    pct = lambda part, whole: f"{100 * len(part) / max(len(whole), 1):.0f}%"  # noqa: E731
    print(f"entries: {len(every)}; by status: {dict(collections.Counter(s.status for s in every))}")
    for name, group in (("active", active), ("listed (active + unverified)", listed)):
        print(f"among {name} ({len(group)}):")
        print(f"  website {pct([s for s in group if s.website], group)}")
        print(
            f"  offers sourced {pct([s for s in group if s.offers], group)}, "
            f"as the tool sees them (with derived) {pct([s for s in group if s.all_offers], group)}"
        )
        print(
            f"  single source {pct([s for s in group if len(s.sources) < 2], group)}, "
            f"a dated source {pct([s for s in group if any(x.date for x in s.sources)], group)}"
        )
        print(
            f"  a mirror-copy source {pct([s for s in group if any(m in x.url for x in s.sources for m in MIRRORS)], group)}"
        )
    dla = {d for s in listed if s.kind == "dla" and s.departments for d in s.departments}
    print(f"departments with a departmental DLA (listed): {len(dla)}")
    kinds = collections.Counter(s.kind for s in listed)
    fa = [s for s in listed if "france-active" in s.id or s.name.startswith("France Active")]
    print(
        f"listed CAE {kinds['cae']}, Fabriques {kinds['fabrique-a-initiatives']}, "
        f"couveuses {kinds['couveuse']}, France Active entries {len(fa)}"
    )
    print(
        f"thematic: {sum(s.thematic for s in every)}; with former ids: {sum(bool(s.former_ids) for s in every)}"
    )


if __name__ == "__main__":
    main()
