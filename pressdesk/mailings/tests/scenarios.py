"""Set-ups the engine's process tests run inside `pressdesk shell -c`, in the tested database."""

from __future__ import annotations

from pressdesk.contacts.models import Contact, ContactEmail, ContactList, ListMembership
from pressdesk.mailings import services
from pressdesk.work.tests.scenarios import director


def started_mailing(count: int) -> int:
    """`count` journalists in a list, and a free-text mailing to them, started; its id."""
    org, user = director()
    made = Contact.objects.bulk_create(
        [
            Contact(org=org, first_name=f"Prénom{n}", last_name=f"Nom{n}", source_kind="import")
            for n in range(count)
        ]
    )
    ContactEmail.objects.bulk_create(
        [
            ContactEmail(
                org=org,
                contact=c,
                email=f"j{n}@exemple.fr",
                email_normalised=f"j{n}@exemple.fr",
                is_primary=True,
            )
            for n, c in enumerate(made)
        ]
    )
    press = ContactList.objects.create(org=org, name="Presse")
    ListMembership.objects.bulk_create(
        [ListMembership(contact_list=press, contact=c) for c in made]
    )
    mailing = services.create_mailing(
        org,
        user,
        kind="free",
        subject="Invitation presse",
        body="Bonjour {{ first_name }},\n\nNous vous invitons.",
        sender_email="presse@acme.fr",
        lists=[press],
    )
    return services.start(mailing, user).pk
