"""A tile-grid map of France: one square per department, shaded by a count.

The layout is computed from each prefecture's approximate position (snapped to the
nearest free tile, so that dense areas such as Paris spread around), which keeps the
map recognisable while giving every department the same room. Overseas departments
sit in a row of their own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from essmap import geo
from essmap.i18n import _

OVERSEAS = ("971", "972", "973", "974", "976")
TILE = 0.66  # degrees of latitude per tile


def layout() -> dict[str, tuple[int, int]]:
    """Department code -> (column, row) of its tile; row 0 is the north."""
    prefectures = geo.PREFECTURES
    scale = math.cos(math.radians(46.5))
    north = max(lat for lat, _ in prefectures.values())
    west = min(lon for _, lon in prefectures.values())
    wanted = {
        code: ((lon - west) * scale / TILE, (north - lat) / TILE) for code, (lat, lon) in prefectures.items()
    }
    taken: dict[tuple[int, int], str] = {}
    tiles: dict[str, tuple[int, int]] = {}
    # From the centre outwards, so that outlying departments keep their place on the edges.
    centre = (
        sum(x for x, _ in wanted.values()) / len(wanted),
        sum(y for _, y in wanted.values()) / len(wanted),
    )
    for code in sorted(wanted, key=lambda c: (math.dist(wanted[c], centre), c)):
        x, y = wanted[code]
        free = [
            (cx, cy)
            for cx in range(int(x) - 6, int(x) + 7)
            for cy in range(int(y) - 6, int(y) + 7)
            if (cx, cy) not in taken and cx >= 0 and cy >= 0
        ]
        cell = min(free, key=lambda c: (math.dist((c[0] + 0.5, c[1] + 0.5), (x, y)), c))
        taken[cell] = code
        tiles[code] = cell
    bottom = max(row for _, row in tiles.values()) + 2
    for column, code in enumerate(OVERSEAS):
        tiles[code] = (column, bottom)
    return tiles


@dataclass(frozen=True, slots=True)
class Shade:
    """A class of counts on the map's legend."""

    low: int
    high: int
    colour: str

    @property
    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    @property
    def dark(self) -> bool:
        return self.colour in _PALETTE[-2:]


_EMPTY = "#f4f4f4"
_PALETTE = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")


def shades(counts: dict[str, int]) -> tuple[Shade, ...]:
    """Classes for the legend: 0 apart, then quartiles of the other counts."""
    found = sorted(n for n in counts.values() if n > 0)
    classes = [Shade(0, 0, _EMPTY)]
    low = 1
    for i, colour in enumerate(_PALETTE):
        if not found or low > found[-1]:
            break
        high = (
            found[-1]
            if i == len(_PALETTE) - 1
            else max(low, found[(len(found) * (i + 1)) // len(_PALETTE) - 1])
        )
        classes.append(Shade(low, high, colour))
        low = high + 1
    return tuple(classes)


def shade(count: int, classes: tuple[Shade, ...]) -> Shade:
    return next((s for s in classes if s.low <= count <= s.high), classes[-1])


def terminal(counts: dict[str, int], title: str):
    """A Rich renderable: two lines per tile row, the code above its count."""
    from rich.text import Text

    tiles = layout()
    classes = shades(counts)
    width = max(c for c, _ in tiles.values()) + 1
    height = max(r for _, r in tiles.values()) + 1
    grid: dict[tuple[int, int], str] = {cell: code for code, cell in tiles.items()}
    text = Text(title + "\n\n")
    for row in range(height):
        for line in (0, 1):
            for column in range(width):
                code = grid.get((column, row))
                if code is None:
                    text.append("     ")
                    continue
                count = counts.get(code, 0)
                label = code if line == 0 else str(count)
                kind = shade(count, classes)
                style = f"{'white' if kind.dark else 'black'} on {kind.colour}"
                text.append(f"{label:^4}", style=style)
                text.append(" ")
            text.append("\n")
    text.append("\n")
    for s in classes:
        text.append("    ", style=f"on {s.colour}")
        text.append(f" {s.label}   ")
    text.append("\n")
    return text


_QUOTE = {'"': "&quot;"}  # escape() leaves quotes alone: inside an attribute they must go too
SVG_MARK = "<!-- essmap map -->"  # how essmap knows a map it drew, which it may replace


def svg(counts: dict[str, int], title: str, subtitle: str, link: Callable[[str], str] | None = None) -> str:
    """A standalone SVG map: title, one tile per department with its code and count, legend.
    With `link` (a department code -> an address), each tile is a link there (the web pages)."""
    size, gap, top, left = 44, 4, 70, 20
    tiles = layout()
    classes = shades(counts)
    columns = max(c for c, _ in tiles.values()) + 1
    rows = max(r for _, r in tiles.values()) + 1
    width = max(left * 2 + columns * (size + gap), left * 2 + 13 * len(title))
    height = top + rows * (size + gap) + 70
    parts = [
        SVG_MARK,
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="30" font-size="20" font-weight="bold">{escape(title)}</text>',
        f'<text x="{left}" y="52" font-size="13" fill="#444">{escape(subtitle)}</text>',
    ]
    for code, (column, row) in sorted(tiles.items()):
        count = counts.get(code, 0)
        s = shade(count, classes)
        x, y = left + column * (size + gap), top + row * (size + gap)
        ink = "white" if s.dark else "black"
        name = geo.DEPARTMENT_BY_CODE[code].name
        label = f"{name} ({code}) : {count}"
        if link is not None:
            parts.append(f'<a href="{escape(link(code), _QUOTE)}" aria-label="{escape(label, _QUOTE)}">')
        parts.append(
            f'<g class="department" data-code="{code}" data-count="{count}">'
            f"<title>{escape(label)}</title>"
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="4" fill="{s.colour}" stroke="#999"/>'
            f'<text x="{x + size / 2}" y="{y + 18}" font-size="12" text-anchor="middle" fill="{ink}">{code}</text>'
            f'<text x="{x + size / 2}" y="{y + 35}" font-size="13" font-weight="bold" text-anchor="middle" '
            f'fill="{ink}">{count}</text></g>'
        )
        if link is not None:
            parts.append("</a>")
    legend_y = height - 40
    for i, s in enumerate(classes):
        x = left + i * 90
        parts.append(f'<rect x="{x}" y="{legend_y}" width="22" height="16" fill="{s.colour}" stroke="#999"/>')
        parts.append(f'<text x="{x + 28}" y="{legend_y + 13}" font-size="12">{escape(s.label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def title(stages: tuple[str, ...], kinds: tuple[str, ...], offers: tuple[str, ...]) -> str:
    """The map's title: what is counted."""
    from essmap.model import KINDS, OFFERS, STAGES

    what = " ; ".join(
        part
        for part in (
            ", ".join(STAGES.label(s) for s in stages),
            ", ".join(KINDS.label(k) for k in kinds),
            ", ".join(OFFERS.label(o) for o in offers),
        )
        if part
    )
    head = _("ESS support structures by department")
    return head + (_(": {what}").format(what=what) if what else "")


def subtitle(updated: str | None) -> str:
    return _("Active regional and local structures; essmap catalogue of {date}").format(
        date=updated or _("today")
    )


def write(drawing: str, target: Path, force: bool = False, protected: Path | None = None) -> None:
    """The SVG written atomically at `target`: a link there is replaced, not followed; a file
    essmap did not draw only with `force`; the catalogue in use never."""
    from essmap.errors import EssmapError
    from essmap.files import may_replace, replacing, starts_with

    may_replace(target, lambda p: starts_with(p, SVG_MARK.encode()), force, protected)
    try:
        with replacing(target) as temporary:
            temporary.write_text(drawing, encoding="utf-8")
    except OSError as error:
        raise EssmapError(
            _("cannot write to {path}: {reason}").format(path=target, reason=error.strerror or error)
        ) from None
