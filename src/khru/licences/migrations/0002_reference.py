from django.db import migrations

from khru.licences.reference import seed


class Migration(migrations.Migration):
    dependencies = [("licences", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
