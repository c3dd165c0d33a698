import datetime as dt

from django.conf import settings
from django.db import migrations, models


def expire_existing(apps, schema_editor):
    """Tokens made before expiry existed run for the usual lifetime from their creation."""
    ApiToken = apps.get_model("exchange", "ApiToken")
    lifetime = dt.timedelta(days=getattr(settings, "KHRU_TOKEN_DAYS", 90))
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + lifetime
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_initial")]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
    ]
