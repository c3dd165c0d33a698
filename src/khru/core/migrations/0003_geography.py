from django.db import migrations

from khru.core.geography import load


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
