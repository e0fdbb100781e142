"""Parse YAML into a small tree that remembers where each node is.

Built from the parser's events, without constructing any Python object from tags,
so that nothing in a file can run code, aliases are never expanded (an alias bomb
costs nothing), nesting depth is bounded without recursion, and duplicate keys,
anchors, aliases and tags are all visible to the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import yaml

try:  # libyaml's C parser when present
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from essmap.errors import Problem

MAX_DEPTH = 64
STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


class Node:
    __slots__ = ("line", "column", "anchor", "tag")
    line: int
    column: int
    anchor: str | None
    tag: str | None


class Scalar(Node):
    __slots__ = ("value", "plain", "end")

    def __init__(self, value: str, plain: bool, line: int, column: int, anchor=None, tag=None, end=(0, 0)):
        self.value, self.plain, self.line, self.column, self.anchor, self.tag = (
            value,
            plain,
            line,
            column,
            anchor,
            tag,
        )
        self.end = end  # (line, column) just after the text, 1-based

    @property
    def yaml_type(self) -> str:
        """The type YAML 1.1 gives this scalar ('str', 'int', 'bool', 'timestamp'...)."""
        if self.tag and self.tag != "!":
            return self.tag.rsplit(":", 1)[-1]
        if not self.plain:
            return "str"
        return _RESOLVER.resolve(yaml.ScalarNode, self.value, (True, False)).rsplit(":", 1)[-1]


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, column: int, anchor=None, tag=None):
        self.line, self.column, self.anchor, self.tag = line, column, anchor, tag
        self.items: list[Node] = []


class Mapping(Node):
    __slots__ = ("pairs",)

    def __init__(self, line: int, column: int, anchor=None, tag=None):
        self.line, self.column, self.anchor, self.tag = line, column, anchor, tag
        self.pairs: list[tuple[Node, Node]] = []


class Alias(Node):
    __slots__ = ("name",)

    def __init__(self, name: str, line: int, column: int):
        self.name, self.line, self.column, self.anchor, self.tag = name, line, column, None, None


class ParseError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def parse(text: str | bytes, path: str, on_entry: Callable[[Node], None] | None = None) -> Node | None:
    """The document's root node (None for an empty document); ParseError on bad YAML.

    With `on_entry`, each item of the top-level `structures:` list is handed over as soon
    as it is complete and not kept in the tree, so that memory stays bounded by one entry.
    """
    root: Node | None = None
    stack: list[Node] = []
    keys: list[Node | None] = []  # per open mapping: the key waiting for its value
    try:
        event: Any  # the parser's events, told apart by class below
        for event in yaml.parse(text, Loader=_Loader):
            kind = event.__class__
            if kind is yaml.ScalarEvent:
                mark, end = event.start_mark, event.end_mark
                node: Node = Scalar(
                    event.value,
                    bool(event.implicit[0]) and not event.style,
                    mark.line + 1,
                    mark.column + 1,
                    event.anchor,
                    event.tag,
                    (end.line + 1, end.column + 1),
                )
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mark = event.start_mark
                node = (Mapping if kind is yaml.MappingStartEvent else Sequence)(
                    mark.line + 1, mark.column + 1, event.anchor, event.tag
                )
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(
                        Problem(path, node.line, node.column, f"nesting deeper than {MAX_DEPTH} levels")
                    )
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                keys.pop()
                if on_entry is not None and len(stack) == 2 and _is_entry_list(stack, keys):
                    cast(Sequence, stack[1]).items.pop()
                    on_entry(done)
                continue
            elif kind is yaml.AliasEvent:
                mark = event.start_mark
                node = Alias(event.anchor, mark.line + 1, mark.column + 1)
            elif kind is yaml.DocumentStartEvent and root is not None:
                mark = event.start_mark
                raise ParseError(
                    Problem(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "a catalogue holds one YAML document, not several",
                    )
                )
            else:
                continue
            if stack:
                parent = stack[-1]
                if parent.__class__ is Sequence:
                    parent.items.append(node)
                elif keys[-1] is None:
                    keys[-1] = node
                else:
                    cast(Mapping, parent).pairs.append((keys[-1], node))
                    keys[-1] = None
            else:
                root = node
            if node.__class__ is Mapping or node.__class__ is Sequence:
                stack.append(node)
                keys.append(None)
    except yaml.MarkedYAMLError as error:
        where: Any = error.problem_mark or error.context_mark
        line, column = (where.line + 1, where.column + 1) if where else (1, 1)
        raise ParseError(
            Problem(path, line, column, f"YAML does not parse: {error.problem or error}")
        ) from None
    except yaml.YAMLError as error:
        raise ParseError(Problem(path, 1, 1, f"YAML does not parse: {error}")) from None
    return root


def _is_entry_list(stack: list[Node], keys: list[Node | None]) -> bool:
    """True when the open nodes are the root mapping and its `structures:` list."""
    root = stack[0]
    if not isinstance(root, Mapping) or not root.pairs:
        return False
    key, value = root.pairs[-1]
    return (
        value is stack[1]
        and isinstance(value, Sequence)
        and isinstance(key, Scalar)
        and key.value == "structures"
    )
