from django.db import migrations

from khru.care.sdq import seed


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
