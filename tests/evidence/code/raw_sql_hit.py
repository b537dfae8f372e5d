# netbox core/views.py, ipam/querysets.py and a SQLAlchemy text() query
from django.db import connection
from django.db.models.expressions import RawSQL
from sqlalchemy import text


def plugins_versions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        # raw-sql: pg_stat_activity has no model
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        cursor.execute("VACUUM")  # raw-sql: maintenance command, no ORM equivalent
        return cursor.fetchall()


def annotate(queryset):
    return queryset.annotate(depth=RawSQL("SELECT COUNT(*) FROM ipam_prefix", ()))


def people(Person, session):
    session.execute(text("SELECT * FROM person"))
    return Person.objects.raw("SELECT * FROM myapp_person")
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
