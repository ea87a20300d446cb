"""Recovery codes kept only as salted hashes (ASVS 5.0 6.5.2): new tables, and every code
django-otp kept in clear (its static tokens) moved there hashed, then deleted.

Those old codes are 8 base32 characters (40 bits): too few for a plain hash, so they are
hashed with Django's password hasher (``make_password``: salted and slow), which
``accounts.recovery_codes.matches`` checks; new codes are 120 bits, kept as HMAC-SHA256.

Going back cannot un-hash the codes: the reverse moves nothing back, so after it people
make new recovery codes (their authenticator apps and security keys are untouched).
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import migrations, models


def hash_codes_kept_in_clear(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodes = apps.get_model("accounts", "RecoveryCodes")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for old in StaticDevice.objects.order_by("pk"):
        tokens = list(StaticToken.objects.filter(device=old).values_list("token", flat=True))
        if tokens:
            new = RecoveryCodes.objects.create(
                user_id=old.user_id, name=old.name, confirmed=old.confirmed
            )
            RecoveryCode.objects.bulk_create(
                RecoveryCode(device=new, digest=make_password(token.lower())) for token in tokens
            )
        StaticToken.objects.filter(device=old).delete()
        old.delete()


def nothing_to_move_back(apps, schema_editor):
    """The codes cannot be un-hashed: going back leaves nobody with recovery codes."""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_user_session_generation"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecoveryCodes",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The human-readable name of this device.", max_length=64
                    ),
                ),
                (
                    "confirmed",
                    models.BooleanField(default=True, help_text="Is this device ready for use?"),
                ),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Number of successive failed attempts."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The most recent date and time this device was used.",
                        null=True,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "recovery codes",
                "verbose_name_plural": "recovery codes",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="RecoveryCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(max_length=200)),
                (
                    "device",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="accounts.recoverycodes",
                    ),
                ),
            ],
        ),
        migrations.RunPython(hash_codes_kept_in_clear, nothing_to_move_back),
    ]
