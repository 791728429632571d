#!/usr/bin/python3
"""Apply a corpus of Django migrations to a real PostgreSQL database and dump its tables.

Runs with Debian's Python (/usr/bin/python3), which has Django 3.2 and psycopg2:

    /usr/bin/python3 scripts/verify/apply_and_dump.py --corpus taggit --out taggit.json

The database (verify_<corpus>) is emptied first, so a run is repeatable. Connection settings
come from PGHOST, PGPORT, PGUSER and PGPASSWORD. The dump is

    { "corpus", "django", "postgresql", "labels": [...],
      "tables": { name: { "app": label, "underTest": bool,
                          "columns": { name: { "type", "nullable" } } } } }

with PostgreSQL's own type spelling (format_type of pg_attribute), the spelling `schema` prints.
"""

import argparse
import json
import os
import sys

SUPPORT_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]

# Each corpus: the apps to install and the app labels whose tables are under test.
CORPORA = {
    "django": {
        "apps": SUPPORT_APPS
        + [
            "django.contrib.admin.apps.SimpleAdminConfig",
            "django.contrib.sessions",
            "django.contrib.sites",
            "django.contrib.flatpages",
            "django.contrib.redirects",
        ],
        "labels": ["contenttypes", "auth", "admin", "sessions", "sites", "flatpages", "redirects"],
    },
    "taggit": {"apps": SUPPORT_APPS + ["taggit"], "labels": ["taggit"]},
    "guardian": {"apps": SUPPORT_APPS + ["guardian"], "labels": ["guardian"]},
    "reversion": {"apps": SUPPORT_APPS + ["reversion"], "labels": ["reversion"]},
    "axes": {"apps": SUPPORT_APPS + ["axes"], "labels": ["axes"]},
    "celery_results": {"apps": SUPPORT_APPS + ["django_celery_results"], "labels": ["django_celery_results"]},
    "celery_beat": {"apps": SUPPORT_APPS + ["django_celery_beat"], "labels": ["django_celery_beat"]},
    "oauth2_provider": {"apps": SUPPORT_APPS + ["oauth2_provider"], "labels": ["oauth2_provider"]},
    "django_q": {"apps": SUPPORT_APPS + ["django_q"], "labels": ["django_q"]},
}

COLUMNS_QUERY = """
select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), not a.attnotnull
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind in ('r', 'p')
  and a.attnum > 0 and not a.attisdropped
order by c.relname, a.attnum
"""


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, help="a corpus name, or any name with --app/--label")
    parser.add_argument("--app", action="append", default=[], help="an INSTALLED_APPS entry (repeatable)")
    parser.add_argument("--label", action="append", default=[], help="an app label under test (repeatable)")
    parser.add_argument("--python-path", action="append", default=[], help="a folder to import apps from")
    parser.add_argument("--auth-user-model", default="auth.User")
    parser.add_argument("--settings", help="a project's settings module, used instead of --app")
    parser.add_argument("--sql", action="append", default=[], help="a raw SQL migration to apply after Django's")
    parser.add_argument("--database", help="default: verify_<corpus>")
    parser.add_argument("--out", required=True, help="where to write the JSON dump")
    arguments = parser.parse_args()
    known = CORPORA.get(arguments.corpus)
    if not arguments.app and not arguments.settings:
        if known is None:
            parser.error(f"unknown corpus {arguments.corpus!r}: name its apps with --app and --label")
        arguments.app = known["apps"]
        arguments.label = known["labels"]
    if not arguments.label:
        parser.error("--label is required with --app and --settings")
    return arguments


def connection_settings(database):
    return {
        "NAME": database,
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
    }


def configure_django(arguments):
    import django
    from django.conf import settings

    sys.path[:0] = arguments.python_path
    database = arguments.database or f"verify_{arguments.corpus}"
    if arguments.settings:
        # The project's own settings, pointed at the verification database.
        os.environ["DJANGO_SETTINGS_MODULE"] = arguments.settings
        django.setup()
        settings.DATABASES["default"].update(connection_settings(database))
        return django
    settings.configure(
        INSTALLED_APPS=arguments.app,
        AUTH_USER_MODEL=arguments.auth_user_model,
        DATABASES={
            "default": {"ENGINE": "django.db.backends.postgresql", **connection_settings(database)}
        },
        USE_TZ=True,
        SECRET_KEY="verification only",
        SITE_ID=1,
    )
    django.setup()
    return django


def table_names(connection):
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def empty_database(connection):
    with connection.cursor() as cursor:
        cursor.execute("drop schema public cascade; create schema public")


def migrate():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def apply_sql(connection, files):
    with connection.cursor() as cursor:
        for file in files:
            with open(file, encoding="utf-8") as sql:
                cursor.execute(sql.read())


def app_of_each_table():
    """The app label of every table the final model state knows, auto-created M2M tables included."""
    from django.apps import apps

    owners = {}
    for model in apps.get_models(include_auto_created=True):
        owners[model._meta.db_table] = model._meta.app_label
    owners["django_migrations"] = "migrations"
    return owners


def dump(connection, labels, sql_tables):
    owners = app_of_each_table()
    tables = {}
    with connection.cursor() as cursor:
        cursor.execute(COLUMNS_QUERY)
        for table, column, column_type, nullable in cursor.fetchall():
            app = owners.get(table, "sql" if table in sql_tables else "unknown")
            # A table no model names was made by raw SQL in a migration (RunSQL): ours to replay too.
            under_test = app in labels or app == "unknown"
            entry = tables.setdefault(table, {"app": app, "underTest": under_test, "columns": {}})
            entry["columns"][column] = {"type": column_type, "nullable": nullable}
        cursor.execute("show server_version")
        server_version = cursor.fetchone()[0]
    return tables, server_version


def main():
    arguments = parse_arguments()
    django = configure_django(arguments)
    from django.db import connection

    empty_database(connection)
    migrate()
    before_sql = set(table_names(connection))
    apply_sql(connection, arguments.sql)
    sql_tables = set(table_names(connection)) - before_sql
    labels = set(arguments.label) | ({"sql"} if arguments.sql else set())
    tables, server_version = dump(connection, labels, sql_tables)
    result = {
        "corpus": arguments.corpus,
        "django": django.get_version(),
        "postgresql": server_version,
        "labels": sorted(labels),
        "tables": tables,
    }
    with open(arguments.out, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    under_test = sum(1 for table in tables.values() if table["underTest"])
    print(f"{arguments.corpus}: {under_test} tables under test, {len(tables)} in all -> {arguments.out}")


if __name__ == "__main__":
    main()
