"""The statutory records' census codes, moved from the old codes and back (its own
migration, so the move and the schema changes around it run in separate transactions:
PostgreSQL cannot alter a table that rows just updated still have checks pending on)."""

from django.db import migrations
from django.db.models import Exists, OuterRef

# Categories of abuse as words become the census codes, and back.
ABUSE = {
    "neglect": "NEG",
    "physical": "PHY",
    "emotional": "EMO",
    "sexual": "SAB",
    "multiple": "MUL",
}
# Reasons for closure before 2025 to 2026's list was followed: the old RC3 (child
# arrangements or special guardianship order) stays RC3, the old RC4 (transferred to
# another council) is RC5, the old RC5 (adult services) is RC6, and the old RC6 (closed
# after assessment, no further action) is RC8, on a referral marked as going no further
# when nothing else was recorded on it (going back, only those return to RC6).
# Each step is undone going back, in the opposite order; RC4 and RC9, codes the old list
# did not have, go back to the old RC3 and RC8.


def to_census_codes(apps, schema_editor):
    involvement = apps.get_model("statutory", "StatutoryInvolvement")
    for old, new in ABUSE.items():
        involvement.objects.filter(abuse_category=old).update(abuse_category=new)
    referrals = involvement.objects.filter(kind="referral")
    # A referral the old RC6 closed with nothing on it went no further (the census's
    # ReferralNFA may have no assessment, enquiry or plan: its rule 8831); one with an
    # assessment was closed after it, RC8 without the flag.
    parts = involvement.objects.filter(referral_id=OuterRef("pk"))
    referrals.filter(closure_reason="RC6").exclude(Exists(parts)).update(
        closure_reason="RC8", referral_nfa=True
    )
    referrals.filter(closure_reason="RC6").update(closure_reason="RC8")
    referrals.filter(closure_reason="RC5").update(closure_reason="RC6")
    referrals.filter(closure_reason="RC4").update(closure_reason="RC5")
    # Each initial conference follows the latest enquiry of its referral started by then.
    for conference in involvement.objects.filter(kind="icpc", enquiry__isnull=True):
        enquiry = (
            involvement.objects.filter(
                kind="section_47",
                referral_id=conference.referral_id,
                start_date__lte=conference.start_date,
            )
            .order_by("-start_date")
            .first()
        )
        if enquiry is not None:
            involvement.objects.filter(pk=conference.pk).update(enquiry=enquiry)


def to_old_codes(apps, schema_editor):
    involvement = apps.get_model("statutory", "StatutoryInvolvement")
    referrals = involvement.objects.filter(kind="referral")
    referrals.filter(closure_reason="RC4").update(closure_reason="RC3")
    referrals.filter(closure_reason="RC5").update(closure_reason="RC4")
    referrals.filter(closure_reason="RC6").update(closure_reason="RC5")
    referrals.filter(closure_reason="RC8", referral_nfa=True).update(closure_reason="RC6")
    referrals.filter(closure_reason="RC9").update(closure_reason="RC8")
    for old, new in ABUSE.items():
        involvement.objects.filter(abuse_category=new).update(abuse_category=old)


class Migration(migrations.Migration):
    dependencies = [
        ("statutory", "0002_census_codes"),
    ]

    operations = [
        # Recoded while the old column is still wide enough for the old words (0004
        # narrows it).
        migrations.RunPython(to_census_codes, to_old_codes),
    ]
