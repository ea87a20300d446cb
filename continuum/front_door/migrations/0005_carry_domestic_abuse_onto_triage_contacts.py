"""Contacts joint triage made before the domestic-abuse flag existed: carry the flag, the
notification's DASH risk level and the MARAC decision onto them."""

from django.db import migrations


def carry_forward(apps, schema_editor):
    TriageOutcome = apps.get_model("front_door", "TriageOutcome")
    Contact = apps.get_model("front_door", "Contact")
    outcomes = TriageOutcome.objects.filter(children_contact__isnull=False).values_list(
        "children_contact_id", "notification__dash_risk", "marac_referral"
    )
    for contact_id, dash_risk, marac_referral in outcomes.iterator():
        Contact.objects.filter(pk=contact_id).update(
            domestic_abuse=True, dash_risk=dash_risk, marac_referral=marac_referral
        )


def forget(apps, schema_editor):
    Contact = apps.get_model("front_door", "Contact")
    Contact.objects.filter(domestic_abuse=True).update(
        domestic_abuse=False, dash_risk="", marac_referral=False
    )


class Migration(migrations.Migration):
    dependencies = [("front_door", "0004_contact_domestic_abuse_and_decisions_not_agreed")]

    operations = [migrations.RunPython(carry_forward, forget)]
