"""Hard or soft: whether a failed delivery says the address itself is dead.

Hard only for an unknown user, an unknown domain, a person who moved away, or a domain that
accepts no mail: RFC 3463 X.1.1, X.1.2, X.1.6, X.1.10, or a permanent (5xx) failure whose words
say so. A policy, spam, reputation, content or full-mailbox refusal is soft: it is no reason to
doubt the contact. A temporary failure (4xx, 4.x.x, a delay warning) is never hard.
"""

from __future__ import annotations

import re

# RFC 3463 subject.detail codes that mean "this address is dead".
DEAD_DETAILS = frozenset({"1.1", "1.2", "1.6", "1.10"})

STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
REPLY_CODE_RE = re.compile(r"(?<![\d.\-:/])([245][0-5]\d)(?=[ \-]|$)", re.MULTILINE)

# The words MTAs and providers use for a dead address, in English and French.
DEAD_WORDING = re.compile(
    r"user(?:name)? unknown|unknown (?:user|recipient|local.?part|address|mailbox|alias)"
    r"|no such (?:user|recipient|mailbox|address|person|account|domain|local user)"
    r"|(?:recipient|address|addressee|mailbox) (?:unknown|not found|does not exist|invalid)"
    r"|(?:invalid|bad) (?:recipient|mailbox|address|destination mailbox)"
    r"|does(?: not|n'?t) exist|does(?: not|n'?t) have an? (?:[\w.-]+ )?account"
    r"|not a valid (?:user|mailbox|recipient)|invalid (?:final delivery )?userid"
    r"|(?:recipient|user) name is not recogni[sz]ed|n'est pas reconnu"
    r"|no (?:mailbox|account) (?:here|by that name|for)|mailbox (?:not found|unavailable)"
    r"|user (?:not found|doesn'?t exist|does not exist|not known|not listed)"
    r"|not listed in (?:domino )?directory|unrouteable address|recipnotfound"
    r"|(?:host|domain)(?: or domain)?(?: name)? (?:not found|unknown|does not exist)"
    r"|unknown (?:host|domain)|no (?:valid )?mx|null mx|accepts no mail|does not accept mail"
    r"|name service error|account (?:has been )?(?:deleted|closed|removed|terminated)"
    r"|(?:is )?no longer (?:valid|active|in use|available|with|employed|at)|has left"
    r"|moved (?:away|to)|user has moved|not local; please try"
    r"|utilisateur (?:inconnu|inexistant)|destinataire (?:inconnu|inexistant)"
    r"|adresse (?:inconnue|inexistante|invalide|introuvable)|compte (?:inexistant|supprim)"
    r"|bo[iî]te (?:aux lettres |mail |de r[ée]ception )?(?:inexistante|introuvable|inconnue)"
    r"|n'existe (?:pas|plus)|domaine (?:inconnu|inexistant|introuvable)"
    r"|n'est plus (?:valide|active|utilis)|a quitt[ée]",
    re.IGNORECASE,
)

# Refusals that say nothing about the address: they take precedence over dead wording.
SOFT_WORDING = re.compile(
    r"quota|mailbox (?:is )?full|over ?quota|insufficient (?:storage|space)|storage"
    r"|spam|junk|blocked|block ?list|black ?list|listed (?:at|on|in)|policy|reputation"
    r"|rate.?limit|too many|content|virus|malware|dmarc|spf|dkim|relay(?:ing)? (?:denied|not)"
    r"|not authori[sz]ed|temporar|try (?:again|later)|greylist|deferred"
    r"|bo[iî]te (?:aux lettres |mail )?(?:pleine|satur)|quota d[ée]pass|indésirable"
    r"|réessa|ultérieurement|temporaire",
    re.IGNORECASE,
)

# A delay warning: the message is still queued, nothing has failed yet.
DELAY_WORDING = re.compile(
    r"not (?:yet )?been delivered|delayed|will (?:continue|be retried|retry)|still trying"
    r"|warning: message|no action is required|remains undelivered|pas encore (?:été )?distribu"
    r"|retard|nouvelle tentative|tentatives? (?:continue|se poursuiv)",
    re.IGNORECASE,
)


def find_status(text: str) -> str | None:
    """The first RFC 3463 enhanced status code (5.1.1) in a diagnostic text."""
    match = STATUS_RE.search(text)
    return ".".join(match.groups()) if match else None


def find_reply_code(text: str) -> int | None:
    """The first SMTP reply code (550) in a diagnostic text."""
    match = REPLY_CODE_RE.search(text)
    return int(match.group(1)) if match else None


def is_temporary(status: str | None, reply_code: int | None, text: str, action: str = "") -> bool:
    """Whether the failure is temporary: 4xx, 4.x.x, a DSN 'delayed', a delay warning."""
    if action.lower() in {"delayed", "relayed", "delivered", "expanded"}:
        return True
    if status:
        return status.startswith("4")
    if reply_code:
        return reply_code < 500
    return bool(DELAY_WORDING.search(text))


def is_hard(status: str | None, reply_code: int | None, text: str, temporary: bool) -> bool:
    """Whether the address itself is dead (see the module's docstring for the rule)."""
    if temporary:
        return False
    if status and not status.startswith("5"):
        return False
    if reply_code and reply_code < 500:
        return False
    if status and not status.endswith(".0.0"):
        # A precise code decides; a generic 5.0.0 leaves it to the words.
        return status.split(".", 1)[1] in DEAD_DETAILS
    return bool(DEAD_WORDING.search(text)) and not SOFT_WORDING.search(text)
