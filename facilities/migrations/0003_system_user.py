from django.contrib.auth.hashers import make_password
from django.db import migrations

SYSTEM_USERNAME = "system"


def create_system_user(apps, schema_editor):
    """The actor of scheduled work and of commands run without --actor: it cannot log in."""
    User = apps.get_model("facilities", "User")
    User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "email": "system@hims.invalid",
            "first_name": "System",
            "password": make_password(None),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_registry")]

    operations = [migrations.RunPython(create_system_user, migrations.RunPython.noop)]
