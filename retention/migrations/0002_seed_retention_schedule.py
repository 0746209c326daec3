from django.db import migrations


def seed(apps, schema_editor):
    from retention.schedule import DEFAULT_RULES

    RetentionRule = apps.get_model("retention", "RetentionRule")
    for rule in DEFAULT_RULES:
        RetentionRule.objects.get_or_create(kind=rule["kind"], defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_retention_schedule_holds_reviews_access")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
