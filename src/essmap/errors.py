"""The one exception family of essmap's core; the CLI maps it to exit codes."""

from __future__ import annotations

from dataclasses import dataclass


class EssmapError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code = 1


class UsageError(EssmapError):
    """The user asked for something that does not exist (exit code 2)."""

    exit_code = 2


# What an UnknownValue can be about; each is a msgid (the interface says it in its language).
NOUNS = (
    "region",
    "department",
    "stage",
    "kind",
    "theme",
    "offer",
    "status",
    "commune",
    "place",
    "format",
    "grouping",
    "field",
    "export format",
)


class UnknownValue(UsageError):
    """An option value outside its vocabulary; carries the closest known values."""

    def __init__(
        self, what: str, value: str, choices, spellings: dict[str, str] | None = None, hint: str = ""
    ):
        from essmap.suggest import closest

        self.what = what
        self.value = value
        self.hint = hint
        self.choices = list(choices)
        self.suggestions = closest(value, self.choices, spellings)
        super().__init__(self.message())

    def message(self) -> str:
        from essmap.i18n import _

        text = _("unknown {what} {value}").format(what=_(self.what), value=repr(self.value))
        if self.suggestions:
            text += _("; did you mean {suggestion}?").format(
                suggestion=_(" or ").join(repr(s) for s in self.suggestions)
            )
        elif len(self.choices) <= 12:
            text += _("; expected one of: {choices}").format(choices=", ".join(self.choices))
        return text + self.hint


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about a catalogue file, with its position (1-based)."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.severity}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"


class CatalogueError(EssmapError):
    """A catalogue that cannot be loaded; lists every problem found."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
