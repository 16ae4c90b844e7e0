"""Watch queries: the boolean language (parser), terms in matching form (compiler), and the
one-pass matcher that runs every query over an article at once (matcher).

    from pressdesk.monitoring.query import Document, Matcher, parse
    matcher = Matcher({"CEO": parse('"Marie Dupont" OR "Mme Dupont"')})
    for match in matcher.match(Document(text, title=title, lang="fr")):
        match.query, match.spans, match.explanation
"""

from pressdesk.monitoring.query.errors import QuerySyntaxError
from pressdesk.monitoring.query.matcher import Document, Match, Matcher, Prepared, Span
from pressdesk.monitoring.query.named import named_query
from pressdesk.monitoring.query.nodes import Query
from pressdesk.monitoring.query.parser import parse

__all__ = [
    "Document",
    "Match",
    "Matcher",
    "Prepared",
    "Query",
    "QuerySyntaxError",
    "Span",
    "named_query",
    "parse",
]
