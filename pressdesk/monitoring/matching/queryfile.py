"""The YAML query file of `pressdesk monitor match`: each name to an expression or options.

Marie Dupont: '"Marie Dupont" OR "Mme Dupont"'
Orange (the brand):
  query: 'Orange NOT (jus OR fruit*)'
  case: true
  group: Competitors
Jean-Luc Martin:
  aliases: ["M. Martin", "JL Martin"]
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pressdesk.monitoring.query import Query, QuerySyntaxError, named_query
from pressdesk.monitoring.query.errors import syntax_error

OPTIONS = {"query", "aliases", "case", "group"}


def load_queries(path: Path) -> tuple[dict[str, Query], list[tuple[str, QuerySyntaxError]]]:
    """The queries that could be read, and the errors of the others (name, error)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    except yaml.YAMLError as error:
        raise CommandError(
            _("%(path)s is not valid YAML: %(error)s") % {"path": path, "error": error}
        ) from error
    if not isinstance(data, dict):
        raise CommandError(
            _("%(path)s must map each query's name to its expression.") % {"path": path}
        )
    queries: dict[str, Query] = {}
    errors: list[tuple[str, QuerySyntaxError]] = []
    for raw_name, spec in data.items():
        name = str(raw_name)
        try:
            queries[name] = _query(name, spec)
        except QuerySyntaxError as error:
            errors.append((name, error))
    return queries, errors


def _query(name: str, spec: object) -> Query:
    if isinstance(spec, str):
        return named_query(name, spec)
    if spec is None:
        return named_query(name)
    if not isinstance(spec, dict) or set(map(str, spec)) - OPTIONS:
        raise syntax_error(
            0,
            gettext_noop("The query is neither an expression nor a set of options."),
            gettext_noop("Give a string, or query:, aliases:, case: and group:."),
        )
    expression = spec.get("query")
    aliases = spec.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    return named_query(
        name,
        None if expression is None else str(expression),
        aliases=[str(alias) for alias in aliases],
        case=bool(spec.get("case", False)),
        group=str(spec.get("group") or ""),
    )
