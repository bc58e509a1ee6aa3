from django.db import migrations

from geography.seeding import seed_reference_data


def seed(apps, schema_editor):
    seed_reference_data(
        apps.get_model("geography", "Country"),
        apps.get_model("geography", "State"),
        apps.get_model("geography", "District"),
    )


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_reference_geography")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop, elidable=False)]
