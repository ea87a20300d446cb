"""The default audit templates (an early help case audit and a front-door practice
observation), version 1 of each, from ``continuum/case_audits/default_templates.py``.
Reversed, they are deleted (with their sections and questions)."""

from types import SimpleNamespace

from django.db import migrations
from django.utils import timezone

from continuum.case_audits.default_templates import DEFAULT_TEMPLATES, load


def make_templates(apps, schema_editor):
    models = SimpleNamespace(
        AuditTemplate=apps.get_model("case_audits", "AuditTemplate"),
        TemplateSection=apps.get_model("case_audits", "TemplateSection"),
        TemplateQuestion=apps.get_model("case_audits", "TemplateQuestion"),
    )
    for data in DEFAULT_TEMPLATES:
        if not models.AuditTemplate.objects.filter(key=data.key).exists():
            load(data, models=models, published_on=timezone.localdate())


def remove_templates(apps, schema_editor):
    AuditTemplate = apps.get_model("case_audits", "AuditTemplate")
    AuditTemplate.objects.filter(key__in=[data.key for data in DEFAULT_TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("case_audits", "0001_initial")]

    operations = [migrations.RunPython(make_templates, remove_templates)]
