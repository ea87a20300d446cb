from django.db import migrations

from continuum.spending import default_classification, default_deflators


class Migration(migrations.Migration):
    dependencies = [("spending", "0001_initial")]

    operations = [
        migrations.RunPython(default_classification.load, default_classification.unload),
        migrations.RunPython(default_deflators.load, default_deflators.unload),
    ]
