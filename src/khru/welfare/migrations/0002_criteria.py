from django.db import migrations

from khru.welfare.criteria import seed


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
