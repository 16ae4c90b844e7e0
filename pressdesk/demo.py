"""A realistic French demo organisation, for `pressdesk demo` and `make run`.

Each installed module adds its own sample records through the demo loader of its registration
(pressdesk/modules.py); a loader receives the demo organisation and must only add to it.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.accounts.services import create_organisation
from pressdesk.modules import demo_loaders

ORG_NAME = "Énergies Citoyennes du Val de Loire"
ORG_SLUG = "ecvl"
ADMIN_EMAIL = "admin@ecvl.example"
# The sender's identity printed at the foot of its mails (a fictitious address).
LEGAL_NAME = "Énergies Citoyennes du Val de Loire SCIC SAS"
POSTAL_ADDRESS = "12 quai de la Loire\n45000 Orléans\nFrance"
# (email, full name, job title, role). The job title is for the reader of this list: the
# accounts module has no field for it yet.
COLLEAGUES = [
    (
        "claire.moreau@ecvl.example",
        "Claire Moreau",
        "Directrice de la communication",
        Role.DIRECTOR,
    ),
    ("julien.petit@ecvl.example", "Julien Petit", "Attaché de presse", Role.PRESS_OFFICER),
    ("sophie.bernard@ecvl.example", "Sophie Bernard", "Porte-parole", Role.SPOKESPERSON),
    ("marc.lefevre@ecvl.example", "Marc Lefèvre", "Chargé de mission", Role.VIEWER),
]


class DemoError(Exception):
    """The demo cannot be loaded; the message says why."""


@transaction.atomic
def load_demo() -> tuple[Organisation, str, str]:
    """Create the demo organisation and its team; return it, the admin's email and password."""
    if Organisation.objects.filter(slug=ORG_SLUG).exists():
        raise DemoError(_("The demo organisation (%(slug)s) already exists.") % {"slug": ORG_SLUG})
    emails = [ADMIN_EMAIL, *(email for email, *_rest in COLLEAGUES)]
    if User.objects.filter(email__in=emails).exists():
        raise DemoError(_("Users of the demo (…@ecvl.example) already exist."))

    password = secrets.token_urlsafe(12)
    admin = User.objects.create_superuser(
        ADMIN_EMAIL, password, full_name="Administrateur ECVL", language="fr"
    )
    org = create_organisation(ORG_NAME, slug=ORG_SLUG, owner=admin, timezone_name="Europe/Paris")
    org.legal_name, org.postal_address = LEGAL_NAME, POSTAL_ADDRESS
    org.save(update_fields=["legal_name", "postal_address"])
    for email, name, _title, role in COLLEAGUES:
        # No password: colleagues are there to be seen in lists, not to log in; the admin may
        # set one from the team page or invite them properly.
        user = User.objects.create_user(email, None, full_name=name, language="fr")
        Membership.objects.create(user=user, org=org, role=role)
    for loader in demo_loaders():
        loader(org)
    audit.record("demo.load", org=org, actor=admin)
    return org, ADMIN_EMAIL, password
