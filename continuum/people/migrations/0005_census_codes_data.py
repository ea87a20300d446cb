"""The people's census codes, moved from the old answers and back (its own migration, so
the move and the schema changes around it run in separate transactions)."""

from django.db import migrations

# yes/no/not known becomes census codes: "no" is NONE, "yes" (which disability was never
# asked) is DDA, the Equality Act's other disability, "not known" is no code at all. Back:
# no codes is "unknown", NONE alone is "no", anything else "yes". Sex I (indeterminate) is
# no longer a census code and becomes U; going back cannot tell which U were I, so they
# stay U.
FORWARD = {"no": ["NONE"], "yes": ["DDA"], "unknown": []}


def to_census_codes(apps, schema_editor):
    for name in ("Person", "HistoricalPerson"):
        model = apps.get_model("people", name)
        for answer, codes in FORWARD.items():
            model.objects.filter(disability=answer).update(disabilities=codes)
        model.objects.filter(sex="I").update(sex="U")


def to_yes_no(apps, schema_editor):
    for name in ("Person", "HistoricalPerson"):
        model = apps.get_model("people", name)
        model.objects.update(disability="yes")
        model.objects.filter(disabilities=[]).update(disability="unknown")
        model.objects.filter(disabilities=["NONE"]).update(disability="no")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_census_codes"),
    ]

    operations = [
        migrations.RunPython(to_census_codes, to_yes_no),
    ]
