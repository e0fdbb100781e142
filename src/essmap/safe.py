"""Make catalogue text harmless on a terminal and in files.

Rich's `Text()` stops markup but not escape sequences, so control characters (C0,
DEL, C1), bidirectional overrides and line separators are replaced by a visible
escape such as `\\x1b` or `\\u202e` before anything is printed.
"""

from __future__ import annotations

import re

_OTHER_UNSAFE = r"\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
_UNSAFE = re.compile(rf"[\x00-\x08\x0b-\x1f{_OTHER_UNSAFE}]")
_UNSAFE_WITH_NEWLINES = re.compile(rf"[\x00-\x1f{_OTHER_UNSAFE}]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every unsafe character written as a visible escape; keeps newlines and tabs."""
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """`text` on one line: newlines and tabs escaped too (for messages and CSV cells)."""
    return _UNSAFE_WITH_NEWLINES.sub(_visible, text)


def json_safe(document: str) -> str:
    """A JSON text with unsafe characters inside strings turned into \\u escapes."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None


# Cells a spreadsheet runs as a formula (OWASP, "CSV Injection"): such a cell gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral_cell(text: str) -> str:
    """A CSV cell that no spreadsheet will run: one beginning like a formula gets a leading `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
