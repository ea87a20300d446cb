"""The old yes/no/not known disability answer removed, once its data is in the census
codes (0005)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_census_codes_data"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalperson",
            name="disability",
        ),
        migrations.RemoveField(
            model_name="person",
            name="disability",
        ),
    ]
