"""Every council that exists gets the default retention schedule (a council added later
gets it when its schedule is first asked for: ``services.ensure_schedule``)."""

from django.db import migrations

# As DEFAULT_SCHEDULE in continuum/retention/choices.py when this migration was written.
DEFAULTS = {
    "contact_nfa": (72, "decision"),
    "episode": (0, "youngest_child_25"),
    "notification": (72, "received"),
    "case_note": (0, "with_record"),
    "document": (0, "with_record"),
    "access_log": (0, "kept"),
    "person": (12, "last_record"),
}


def make_schedules(apps, schema_editor):
    Council = apps.get_model("organisations", "Council")
    Schedule = apps.get_model("retention", "RetentionSchedule")
    Rule = apps.get_model("retention", "RetentionRule")
    for council in Council.objects.all():
        schedule, _ = Schedule.objects.get_or_create(council=council)
        for kind, (months, event) in DEFAULTS.items():
            Rule.objects.get_or_create(
                schedule=schedule, kind=kind, defaults={"period_months": months, "event": event}
            )


def remove_schedules(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.all().delete()
    apps.get_model("retention", "RetentionSchedule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("organisations", "0003_council_front_door_phone"),
    ]

    operations = [migrations.RunPython(make_schedules, remove_schedules)]
