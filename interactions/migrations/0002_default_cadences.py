from django.db import migrations

DEFAULTS = {"vip": 14, "key": 30, "standard": 90}


def add_defaults(apps, schema_editor):
    ContactCadence = apps.get_model("interactions", "ContactCadence")
    for tier, days in DEFAULTS.items():
        ContactCadence.objects.get_or_create(tier=tier, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("interactions", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
