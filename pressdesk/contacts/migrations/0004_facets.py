from django.db import migrations, models
import django.db.models.deletion


def backfill(apps, schema_editor):
    """Store the checkbox-filter values of every existing contact (see contacts.facets)."""
    from pressdesk.contacts import facets

    Contact = apps.get_model("contacts", "Contact")
    ids = list(Contact.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        facets.refresh(ids[start : start + 2000], apps)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_totp_last_step'),
        ('contacts', '0003_filter_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='outlet',
            name='tier',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(1, '1 = must-have'), (2, '2 = important'), (3, '3 = secondary')], help_text='1 = must-have, 2 = important, 3 = secondary', null=True, verbose_name='priority'),
        ),
        migrations.CreateModel(
            name='ContactFacet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('beat', 'Beat'), ('media_type', 'Media Type'), ('region', 'Region'), ('country', 'Country'), ('language', 'Language'), ('tier', 'Tier')], max_length=16)),
                ('value', models.CharField(max_length=100)),
                ('contact', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='facets', to='contacts.contact')),
                ('org', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
            ],
            options={
                'indexes': [models.Index(fields=['org', 'kind', 'value', 'contact'], name='facet_lookup')],
                'constraints': [models.UniqueConstraint(fields=('contact', 'kind', 'value'), name='one_facet_value')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
