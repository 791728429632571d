#!/usr/bin/python3
"""Django 3.2 computing the schema state of a hub checkout: every migration loaded and
replayed into the project state, its models rendered, each table's columns listed.

    /usr/bin/python3 bench/django_state.py HUB_CHECKOUT

What `shared-schema-guard schema` computes from the same migrations, without a database.
Prints the number of tables and columns.
"""

import sys

import django
from django.conf import settings


def main(hub):
    sys.path.insert(0, hub)
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "dao"],
        DATABASES={},
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    from django.db.migrations.loader import MigrationLoader

    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    columns = {
        model._meta.db_table: [field.column for field in model._meta.local_fields]
        for model in state.apps.get_models()
    }
    print(len(columns), sum(len(names) for names in columns.values()))


if __name__ == "__main__":
    main(sys.argv[1])
