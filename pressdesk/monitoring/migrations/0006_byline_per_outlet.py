# A byline suggestion per (organisation, name, outlet) instead of per (organisation, name): the
# same spelling at another outlet is suggested, and linked, on its own. Rows already there keep
# satisfying the new constraints (the old one was stricter), so no data moves. Deleting an outlet
# now deletes its suggestions: setting their outlet to NULL could collide with the name's
# no-outlet row.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_archive_vector_inline"),
    ]

    operations = [
        migrations.AlterField(
            model_name="byline",
            name="outlet",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contacts.outlet",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="byline",
            name="one_byline_per_name",
        ),
        migrations.AddConstraint(
            model_name="byline",
            constraint=models.UniqueConstraint(
                condition=models.Q(("outlet__isnull", False)),
                fields=("org", "name_normalised", "outlet"),
                name="one_byline_per_name_outlet",
            ),
        ),
        migrations.AddConstraint(
            model_name="byline",
            constraint=models.UniqueConstraint(
                condition=models.Q(("outlet__isnull", True)),
                fields=("org", "name_normalised"),
                name="one_byline_per_name_no_outlet",
            ),
        ),
    ]
