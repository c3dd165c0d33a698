from django.db import migrations

from khru.teachers.rules import seed


class Migration(migrations.Migration):
    dependencies = [("teachers", "0002_career_pa_training")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
