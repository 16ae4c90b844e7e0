"""Named queries: a spokesperson, a product or a competitor, with the other names they go by."""

from __future__ import annotations

from collections.abc import Sequence

from pressdesk.monitoring.query.compiler import make_term
from pressdesk.monitoring.query.nodes import Node, Or, Query
from pressdesk.monitoring.query.parser import apply_fields, parse


def named_query(
    name: str,
    expression: str | None = None,
    *,
    aliases: Sequence[str] = (),
    case: bool = False,
    group: str = "",
) -> Query:
    """The query for a name: its expression (or the name itself as a phrase) OR any alias.

    Aliases are names, not expressions ("M. Dupont", "Mme Dupont"): each is looked for as a
    phrase. `case` makes every term case-sensitive (a brand that is a common word).
    """
    if expression is None or not expression.strip():
        root: Node = make_term(name.strip(), 0)
        expression = f'"{name.strip()}"'
    else:
        root = parse(expression).root
    alternatives = [root]
    for alias in aliases:
        if alias.strip():
            alternatives.append(make_term(alias.strip().strip('"“”«» '), 0))
    if len(alternatives) > 1:
        root = Or(tuple(alternatives), expression)
    if case:
        root = apply_fields(root, True, "")
    return Query(expression, root, group, tuple(aliases))
