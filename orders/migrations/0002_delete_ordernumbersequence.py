"""Order numbers move to the shared core.NumberSequence (scope "order"); the counters are carried over."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    old = apps.get_model("orders", "OrderNumberSequence")
    new = apps.get_model("core", "NumberSequence")
    for row in old.objects.all():
        new.objects.update_or_create(scope="order", year=row.year, defaults={"last_value": row.last_value})


def copy_back(apps, schema_editor):
    old = apps.get_model("orders", "OrderNumberSequence")
    new = apps.get_model("core", "NumberSequence")
    for row in new.objects.filter(scope="order"):
        old.objects.update_or_create(year=row.year, defaults={"last_value": row.last_value})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("orders", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="OrderNumberSequence"),
    ]
