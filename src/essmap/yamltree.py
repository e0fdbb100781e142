"""Parse YAML into a small tree that remembers where each node is.

Built from the parser's events, without constructing any Python object from tags,
so that nothing in a file can run code, aliases are never expanded (an alias bomb
costs nothing), nesting depth is bounded without recursion, and duplicate keys,
anchors, aliases and tags are all visible to the caller.
"""

from __future__ import annotations

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

    def __init__(self, line: int, column: int, anchor: str | None, tag: str | None):
        self.line = line
        self.column = column
        self.anchor = anchor
        self.tag = tag


class Scalar(Node):
    __slots__ = ("value", "plain")

    def __init__(self, value: str, plain: bool, line, column, anchor=None, tag=None):
        super().__init__(line, column, anchor, tag)
        self.value = value
        self.plain = plain

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

    def __init__(self, line, column, anchor=None, tag=None):
        super().__init__(line, column, anchor, tag)
        self.items: list[Node] = []


class Mapping(Node):
    __slots__ = ("pairs",)

    def __init__(self, line, column, anchor=None, tag=None):
        super().__init__(line, column, anchor, tag)
        self.pairs: list[tuple[Node, Node]] = []


class Alias(Node):
    __slots__ = ("name",)

    def __init__(self, name: str, line, column):
        super().__init__(line, column, None, None)
        self.name = name


class ParseError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _position(event) -> tuple[int, int]:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


def parse(text: str, path: str) -> Node | None:
    """The document's root node (None for an empty document); ParseError on bad YAML."""
    root: Node | None = None
    stack: list[Node] = []
    pending_key: list[Node | None] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent) and root is not None:
                line, column = _position(event)
                raise ParseError(Problem(path, line, column, "a catalogue holds one YAML document, not several"))
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
                pending_key.pop()
                continue
            node = _node(event)
            if node is None:
                continue
            if stack:
                _attach(stack[-1], pending_key, node)
            else:
                root = node
            if isinstance(node, (Sequence, Mapping)):
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(Problem(path, node.line, node.column, f"nesting deeper than {MAX_DEPTH} levels"))
                stack.append(node)
                pending_key.append(None)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ParseError(Problem(path, line, column, f"YAML does not parse: {error.problem or error}")) from None
    except yaml.YAMLError as error:
        raise ParseError(Problem(path, 1, 1, f"YAML does not parse: {error}")) from None
    return root


def _node(event) -> Node | None:
    line, column = _position(event)
    if isinstance(event, yaml.ScalarEvent):
        return Scalar(event.value, bool(event.implicit[0]) and not event.style, line, column, event.anchor, event.tag)
    if isinstance(event, yaml.SequenceStartEvent):
        return Sequence(line, column, event.anchor, event.tag)
    if isinstance(event, yaml.MappingStartEvent):
        return Mapping(line, column, event.anchor, event.tag)
    if isinstance(event, yaml.AliasEvent):
        return Alias(event.anchor, line, column)
    return None


def _attach(parent: Node, pending_key: list[Node | None], node: Node) -> None:
    if isinstance(parent, Sequence):
        parent.items.append(node)
    elif pending_key[-1] is None:
        pending_key[-1] = node
    else:
        parent.pairs.append((pending_key[-1], node))  # type: ignore[union-attr]
        pending_key[-1] = None
