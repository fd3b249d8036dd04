from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CareerPortalConfig(AppConfig):
    name = "careerportal"
    verbose_name = "CareerPortal site"

    def ready(self):
        from careerportal import (  # noqa: F401 (checks)
            cache,
            checks,
            editors,
            password_events,
            statements,
        )

        cache.connect_invalidation()
        post_migrate.connect(editors.editors_group_update, dispatch_uid="careerportal.editors")
        password_events.connect()
        connection_created.connect(add_sqlite_functions)
        connection_created.connect(statements.watch)


def add_sqlite_functions(sender, connection, **kwargs):
    """What searches call on SQLite besides its own functions (careerportal.query)."""
    if connection.vendor == "sqlite":
        from careerportal.query import CAMEL_PARTED_SQL, FOLDED_SQL, camel_parted, fold_or_null

        connection.connection.create_function(FOLDED_SQL, 1, fold_or_null, deterministic=True)
        connection.connection.create_function(CAMEL_PARTED_SQL, 1, camel_parted, deterministic=True)


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with careerportal.admin_site.CareerPortalAdminSite as `admin.site`."""

    default_site = "careerportal.admin_site.CareerPortalAdminSite"
