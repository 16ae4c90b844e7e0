"""The parsed form of a watch query: terms, filters and the boolean operators joining them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True)
class Term:
    """A word, a phrase or a prefix (energ*) to find in the text or the title.

    `words` is the term in the matching form (pressdesk.lib.text), `source` as the user wrote it.
    `case` terms must also have the same capitals as `source` where found ("Orange", not
    "orange"); `field` is "title" for title:…, "" for the title and the text alike.
    """

    source: str
    words: str
    prefix: bool = False
    case: bool = False
    field: str = ""
    position: int = 0
    # The letters' capitals, one flag per non-space letter of `words`, for case terms.
    capitals: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Filter:
    """A condition on the article's metadata: lang:fr, outlet:"Ouest-France", type:regional."""

    field: str
    value: str
    prefix: bool = False
    position: int = 0
    source: str = ""


@dataclass(frozen=True)
class Not:
    """Excludes what its part matches."""

    child: Node
    position: int = 0
    source: str = ""


@dataclass(frozen=True)
class And:
    """All parts match."""

    children: tuple[Node, ...]
    source: str = ""


@dataclass(frozen=True)
class Or:
    """At least one part matches."""

    children: tuple[Node, ...]
    source: str = ""


@dataclass(frozen=True)
class Near:
    """Two parts (terms, or terms joined by OR) at most `distance` words apart, in either order."""

    left: Node
    right: Node
    distance: int
    position: int = 0
    source: str = ""


Node: TypeAlias = Term | Filter | Not | And | Or | Near


@dataclass(frozen=True)
class Query:
    """A parsed watch query, ready for the Matcher. `group` sorts named queries for the inbox."""

    expression: str
    root: Node
    group: str = ""
    aliases: tuple[str, ...] = field(default=())


def terms(node: Node) -> list[Term]:
    """Every term under a node, in reading order."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Filter):
        return []
    if isinstance(node, Not):
        return terms(node.child)
    if isinstance(node, Near):
        return terms(node.left) + terms(node.right)
    return [term for child in node.children for term in terms(child)]


def positive_terms(node: Node) -> list[Term]:
    """The terms that can make the query match (those not under a NOT)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Filter | Not):
        return []
    if isinstance(node, Near):
        return positive_terms(node.left) + positive_terms(node.right)
    return [term for child in node.children for term in positive_terms(child)]


def needs_a_term(node: Node) -> bool:
    """Whether the node can only match an article where one of its positive terms was found."""
    if isinstance(node, Term | Near):
        return True
    if isinstance(node, Filter | Not):
        return False
    if isinstance(node, And):
        return any(needs_a_term(child) for child in node.children)
    return all(needs_a_term(child) for child in node.children)
