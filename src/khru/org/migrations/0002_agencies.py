from django.db import migrations

from khru.org.agencies import seed


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
