from django.db import migrations

from khru.attendance.codes import seed


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
