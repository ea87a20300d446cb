"""Seed the Supporting Families headline outcome areas (public reference data)."""

from django.db import migrations

OUTCOME_AREAS = [
    ("SF01", "Getting a good education"),
    ("SF02", "Good early years development"),
    ("SF03", "Improved mental and physical health"),
    ("SF04", "Promoting recovery and reducing harm from substance use"),
    ("SF05", "Improved family relationships"),
    ("SF06", "Children safe from abuse and exploitation"),
    ("SF07", "Crime prevention and tackling crime"),
    ("SF08", "Safe from domestic abuse"),
    ("SF09", "Secure housing"),
    ("SF10", "Financial stability"),
]


def forward(apps, schema_editor):
    outcome = apps.get_model("early_help", "SupportingFamiliesOutcome")
    for code, name in OUTCOME_AREAS:
        outcome.objects.update_or_create(code=code, defaults={"name": name})


def reverse(apps, schema_editor):
    outcome = apps.get_model("early_help", "SupportingFamiliesOutcome")
    outcome.objects.filter(code__in=[code for code, _ in OUTCOME_AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("early_help", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
