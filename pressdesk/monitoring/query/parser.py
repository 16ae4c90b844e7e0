"""Reading a watch query: the boolean language press officers know from Meltwater or Talkwalker.

    "Marie Dupont" OR "Mme Dupont"          phrases in quotes ("…", “…” or « … »)
    Orange AND (télécom* OR fibre) NOT fruit  AND, OR, NOT, parentheses; ET, OU, SAUF in French
    Orange télécom                          terms side by side must both be there (AND)
    Orange NEAR/5 réseau                    at most 5 words apart, in either order
    energ*                                  a prefix (at least 3 letters)
    case:"Orange"                           with these capitals: the brand, not the fruit
    title:Orange lang:fr outlet:"Ouest-France" type:regional

Operators are written in capitals; "et" or "ou" in lower case are words to look for. NOT binds
tightest, then NEAR, then AND, then OR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from pressdesk.monitoring.query.compiler import make_term
from pressdesk.monitoring.query.errors import syntax_error
from pressdesk.monitoring.query.nodes import (
    And,
    Filter,
    Near,
    Node,
    Not,
    Or,
    Query,
    Term,
    needs_a_term,
)

OPERATORS = {"AND": "AND", "ET": "AND", "OR": "OR", "OU": "OR", "NOT": "NOT", "SAUF": "NOT"}
# Field names, with their French forms.
TERM_FIELDS = {"title": "title", "titre": "title", "case": "case", "casse": "case"}
FILTER_FIELDS = {
    "lang": "lang",
    "langue": "lang",
    "outlet": "outlet",
    "media": "outlet",
    "média": "outlet",
    "type": "type",
}
QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
_NEAR = re.compile(r"(?:NEAR|PRES|PRÈS)(?:/(\d*))?", re.IGNORECASE)
_WORD_END = re.compile(r"""[\s()"“”«»„]""")


@dataclass(frozen=True)
class Token:
    """One piece of a query: kind is WORD, PHRASE, FIELD, AND, OR, NOT, NEAR, ( or )."""

    kind: str
    text: str
    position: int
    end: int
    distance: int = 0


def tokenize(expression: str) -> list[Token]:
    """Cut a query into tokens, refusing unclosed quotes."""
    tokens: list[Token] = []
    index = 0
    length = len(expression)
    while index < length:
        char = expression[index]
        if char.isspace():
            index += 1
        elif char in "()":
            tokens.append(Token(char, char, index, index + 1))
            index += 1
        elif char in QUOTES:
            closing = expression.find(QUOTES[char], index + 1)
            if closing < 0 and char == "„":
                closing = expression.find("”", index + 1)
            if closing < 0:
                raise syntax_error(
                    index,
                    gettext_noop("This quotation mark is never closed."),
                    gettext_noop("Add the closing quotation mark at the end of the phrase."),
                )
            tokens.append(Token("PHRASE", expression[index + 1 : closing], index, closing + 1))
            index = closing + 1
        else:
            found = _WORD_END.search(expression, index)
            end = found.start() if found else length
            word = expression[index:end]
            name, colon, _rest = word.partition(":")
            if colon and (name.lower() in TERM_FIELDS or name.lower() in FILTER_FIELDS):
                tokens.append(Token("FIELD", name.lower(), index, index + len(name) + 1))
                index += len(name) + 1
                continue
            if colon and name.isalpha() and not _rest.startswith("/"):
                raise syntax_error(
                    index,
                    gettext_noop("“%(field)s:” is not a field."),
                    gettext_noop(
                        "The fields are title:, lang:, outlet:, type: and case:. To look for "
                        "the word itself, put it in quotes."
                    ),
                    field=name,
                )
            tokens.append(_word_token(word, index, end))
            index = end
    return tokens


def _word_token(word: str, index: int, end: int) -> Token:
    if word in OPERATORS:
        return Token(OPERATORS[word], word, index, end)
    near = _NEAR.fullmatch(word)
    if near and word[:4].isupper():
        if not near.group(1):
            raise syntax_error(
                index,
                gettext_noop("NEAR needs a distance in words."),
                gettext_noop("Write it as NEAR/5: at most 5 words apart."),
            )
        return Token("NEAR", word, index, end, int(near.group(1)))
    if word.startswith("-") and len(word) > 1:
        return Token("NOT", "-", index, index + 1)
    return Token("WORD", word, index, end)


class _Parser:
    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.tokens = tokenize(expression)
        # A leading "-" is NOT and the word follows it in the same token's place.
        expanded: list[Token] = []
        for token in self.tokens:
            expanded.append(token)
            if token.kind == "NOT" and token.text == "-":
                word = expression[token.end : _end_of_word(expression, token.end)]
                expanded.append(_word_token(word, token.end, token.end + len(word)))
        self.tokens = [t for t in expanded if not (t.kind == "WORD" and t.text.startswith("-"))]
        self.index = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def source(self, start: int) -> str:
        end = self.tokens[self.index - 1].end if self.index else start
        return self.expression[start:end]

    def parse(self) -> Node:
        if not self.tokens:
            raise syntax_error(
                0,
                gettext_noop("The query is empty."),
                gettext_noop('Type a word, or a name in quotes such as "Marie Dupont".'),
            )
        node = self.or_expr()
        token = self.peek()
        if token is not None:
            raise syntax_error(
                token.position,
                gettext_noop("This closing parenthesis has no opening one."),
                gettext_noop("Remove it, or add “(” where the group starts."),
            )
        return node

    def or_expr(self) -> Node:
        start = self.peek()
        children = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            self.operand_after(token)
            children.append(self.and_expr())
        if len(children) == 1:
            return children[0]
        assert start is not None
        return Or(tuple(children), self.source(start.position))

    def and_expr(self) -> Node:
        start = self.peek()
        children = [self.near_expr()]
        while (token := self.peek()) is not None and token.kind not in {"OR", ")"}:
            if token.kind == "AND":
                self.take()
                self.operand_after(token)
            children.append(self.near_expr())
        if len(children) == 1:
            return children[0]
        assert start is not None
        return And(tuple(children), self.source(start.position))

    def near_expr(self) -> Node:
        start = self.peek()
        node = self.unary()
        while (token := self.peek()) is not None and token.kind == "NEAR":
            self.take()
            self.operand_after(token)
            right = self.unary()
            for side in (node, right):
                _check_near_operand(side, token)
            assert start is not None
            node = Near(node, right, token.distance, token.position, self.source(start.position))
        return node

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token.kind == "NOT":
            self.take()
            self.operand_after(token)
            child = self.unary()
            return Not(child, token.position, self.source(token.position))
        return self.primary()

    def operand_after(self, operator: Token) -> None:
        token = self.peek()
        if token is None or token.kind in {"AND", "OR", "NEAR", ")"}:
            raise syntax_error(
                operator.position,
                gettext_noop("“%(operator)s” needs something to look for after it."),
                gettext_noop("Add a word, a phrase in quotes or a group in parentheses."),
                operator=operator.text,
            )

    def primary(self, case: bool = False, field: str = "") -> Node:
        token = self.peek()
        if token is None:
            raise syntax_error(
                len(self.expression),
                gettext_noop("The query stops too early."),
                gettext_noop("Finish it with a word, a phrase or a closing parenthesis."),
            )
        if token.kind in {"AND", "OR", "NEAR"}:
            raise syntax_error(
                token.position,
                gettext_noop("“%(operator)s” needs something to look for before it."),
                gettext_noop("Add a word, a phrase in quotes or a group in parentheses."),
                operator=token.text,
            )
        if token.kind == ")":
            raise syntax_error(
                token.position,
                gettext_noop("This closing parenthesis has no opening one."),
                gettext_noop("Remove it, or add “(” where the group starts."),
            )
        self.take()
        if token.kind == "(":
            following = self.peek()
            if following is not None and following.kind == ")":
                raise syntax_error(
                    token.position,
                    gettext_noop("These parentheses are empty."),
                    gettext_noop("Put words or phrases between them, or remove them."),
                )
            node = self.with_fields(self.or_expr(), case, field)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise syntax_error(
                    token.position,
                    gettext_noop("This parenthesis is never closed."),
                    gettext_noop("Add “)” where the group ends."),
                )
            self.take()
            return node
        if token.kind == "FIELD":
            return self.field(token, case, field)
        if token.kind == "NOT":
            self.index -= 1
            return self.unary()
        return self.term(token, case, field)

    def field(self, token: Token, case: bool, field: str) -> Node:
        name = TERM_FIELDS.get(token.text) or FILTER_FIELDS[token.text]
        value = self.peek()
        if (
            value is None
            or value.position != token.end
            or value.kind not in {"WORD", "PHRASE", "("}
        ):
            raise syntax_error(
                token.position,
                gettext_noop("“%(field)s:” needs a word, a phrase or a group right after it."),
                gettext_noop('For example title:Orange or title:"Marie Dupont", without a space.'),
                field=token.text,
            )
        if name == "case":
            return self.primary(True, field)
        if name == "title":
            return self.primary(case, "title")
        if value.kind == "(":
            raise syntax_error(
                token.position,
                gettext_noop("“%(field)s:” takes one value."),
                gettext_noop("Write lang:fr OR lang:en rather than lang:(fr OR en)."),
                field=token.text,
            )
        self.take()
        text = value.text.strip()
        prefix = text.endswith("*")
        return Filter(name, text.rstrip("*"), prefix, token.position, self.source(token.position))

    def term(self, token: Token, case: bool, field: str) -> Node:
        if token.kind == "PHRASE" and not token.text.strip():
            raise syntax_error(
                token.position,
                gettext_noop("These quotation marks are empty."),
                gettext_noop("Put the phrase to look for between them, or remove them."),
            )
        text = token.text.strip()
        prefix = text.endswith("*")
        body = text[:-1] if prefix else text
        if "*" in body:
            raise syntax_error(
                token.position + (1 if token.kind == "PHRASE" else 0) + body.find("*"),
                gettext_noop("A wildcard can only end a word."),
                gettext_noop("Write the start of the word then *, as in energ*."),
            )
        return make_term(body, token.position, prefix=prefix, case=case, field=field)

    def with_fields(self, node: Node, case: bool, field: str) -> Node:
        """A group under case: or title: passes them on to its terms."""
        if not case and not field:
            return node
        # Re-read the group's terms with the field applied: cheaper than rebuilding the tree.
        return apply_fields(node, case, field)


def _end_of_word(expression: str, start: int) -> int:
    found = _WORD_END.search(expression, start)
    return found.start() if found else len(expression)


def apply_fields(node: Node, case: bool, field: str) -> Node:
    """The node with case: or title: applied to every term under it."""
    if isinstance(node, Term):
        return make_term(
            node.source,
            node.position,
            prefix=node.prefix,
            case=case or node.case,
            field=field or node.field,
        )
    if isinstance(node, Filter):
        return node
    if isinstance(node, Not):
        return Not(apply_fields(node.child, case, field), node.position, node.source)
    if isinstance(node, Near):
        return Near(
            apply_fields(node.left, case, field),
            apply_fields(node.right, case, field),
            node.distance,
            node.position,
            node.source,
        )
    children = tuple(apply_fields(child, case, field) for child in node.children)
    return And(children, node.source) if isinstance(node, And) else Or(children, node.source)


def _check_near_operand(node: Node, operator: Token) -> None:
    if isinstance(node, Term):
        return
    if isinstance(node, Or) and all(isinstance(c, Term | Or) for c in node.children):
        for child in node.children:
            _check_near_operand(child, operator)
        return
    raise syntax_error(
        operator.position,
        gettext_noop("NEAR joins words or phrases, or groups of them joined by OR."),
        gettext_noop("Move AND, NOT and fields outside the NEAR: (A NEAR/5 B) AND C."),
    )


def parse(expression: str, group: str = "") -> Query:
    """Read a watch query; a QuerySyntaxError says where it is wrong and how to fix it."""
    root = _Parser(expression).parse()
    if not needs_a_term(root):
        raise syntax_error(
            0,
            gettext_noop("This query would match every article."),
            gettext_noop(
                "NOT, lang:, outlet: and type: only narrow a search: add a word or a phrase "
                "to look for."
            ),
        )
    return Query(expression, root, group)
