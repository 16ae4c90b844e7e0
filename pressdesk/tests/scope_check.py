"""Find queries on organisation-owned models that do not go through `for_org`.

A query starts at `Model.objects` (or `_default_manager`) of a model with an `org` field, or at
`get_object_or_404(Model, …)`. It is scoped when its first call is `for_org(…)`. Writing a new row
(`create`, `bulk_create`) is not a query. Querysets reached another way are left alone: a related
manager (`org.contacts`, `contact.emails`) or a queryset handed in is already scoped by whoever
made it. A query that rightly spans organisations carries `# all-orgs: why` on one of its lines or
on the line above its statement.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pressdesk.accounts.scoping import ALL_ORGS_MARKER

MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SCOPED = frozenset({"for_org"})
# Writes that read nothing (the rows they write name their organisation, or were read scoped),
# and the empty queryset.
WRITES = frozenset({"create", "bulk_create", "bulk_update", "none"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
# Helpers that scope the queryset they are given (pressdesk/accounts/access.py).
SCOPING_HELPERS = frozenset({"org_object", "member_object"})
SKIPPED_PARTS = frozenset({"tests", "migrations", "e2e"})


@dataclass(frozen=True)
class Unscoped:
    """One query that may reach another organisation's rows."""

    path: str
    line: int
    model: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.model} queried without for_org: {self.code}"


def _name(node: ast.expr) -> str | None:
    """`Contact` for `Contact` and for `models.Contact`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _marked(lines: list[str], first: int, last: int) -> bool:
    """Whether the statement on lines first..last (1-based) or the line above says all-orgs."""
    for number in range(max(first - 1, 1), last + 1):
        text = lines[number - 1]
        at = text.find(ALL_ORGS_MARKER)
        if at >= 0 and text[at + len(ALL_ORGS_MARKER) :].strip():
            return True
    return False


def check_source(source: str, models: Iterable[str], path: str = "<source>") -> list[Unscoped]:
    """The unscoped queries in this Python source, given the names of org-owned models."""
    owned = frozenset(models)
    tree = ast.parse(source)
    lines = source.splitlines()
    statement_of: dict[ast.AST, ast.stmt] = {}
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.stmt):
            for child in ast.walk(stmt):
                # The innermost statement wins: ast.walk visits outer statements first.
                statement_of[child] = stmt

    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[Unscoped] = []

    def report(node: ast.AST, model: str) -> None:
        stmt = statement_of.get(node)
        first = stmt.lineno if stmt else node.lineno  # type: ignore[attr-defined]
        last = (stmt.end_lineno if stmt else None) or first
        if _marked(lines, first, last):
            return
        code = ast.get_source_segment(source, node) or ""
        found.append(Unscoped(path, node.lineno, model, " ".join(code.split())[:120]))  # type: ignore[attr-defined]

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            model = _name(node.value)
            if model not in owned:
                continue
            parent = _parent_call(parents, node)
            if parent is not None and parent in SCOPED | WRITES:
                continue
            if _handed_to_helper(parents, node):
                continue
            report(node, model)  # type: ignore[arg-type]
        elif isinstance(node, ast.Call) and _name(node.func) in SHORTCUTS and node.args:
            model = _name(node.args[0])
            if model in owned and isinstance(node.args[0], ast.Name | ast.Attribute):
                report(node, model)  # type: ignore[arg-type]
    return sorted(found, key=lambda u: u.line)


def _parent_call(parents: dict[ast.AST, ast.AST], manager: ast.Attribute) -> str | None:
    """The method called on `Model.objects` right after it: "filter", "for_org"…"""
    attribute = parents.get(manager)
    if isinstance(attribute, ast.Attribute) and attribute.value is manager:
        call = parents.get(attribute)
        if isinstance(call, ast.Call) and call.func is attribute:
            return attribute.attr
    return None


def _handed_to_helper(parents: dict[ast.AST, ast.AST], manager: ast.Attribute) -> bool:
    """Whether the chain `Model.objects.select_related(…)…` is an argument of `org_object`."""
    node: ast.AST = manager
    while True:
        parent = parents.get(node)
        if (isinstance(parent, ast.Attribute) and parent.value is node) or (
            isinstance(parent, ast.Call) and parent.func is node
        ):
            node = parent
        else:
            break
    return (
        isinstance(parent, ast.Call)
        and _name(parent.func) in SCOPING_HELPERS
        and any(arg is node for arg in parent.args)
    )


def python_files(root: Path) -> Iterator[Path]:
    """The package's modules that serve users: not its tests or migrations."""
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_PARTS & set(relative.parts[:-1]) or relative.name == "conftest.py":
            continue
        yield path


def check_tree(root: Path, models: Iterable[str]) -> list[Unscoped]:
    """The unscoped queries in every module under root."""
    names = frozenset(models)
    found: list[Unscoped] = []
    for path in python_files(root):
        found += check_source(path.read_text(encoding="utf-8"), names, str(path.relative_to(root)))
    return found
