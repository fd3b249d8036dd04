from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class CareerPortalConfig(AppConfig):
    name = "careerportal"
    verbose_name = "CareerPortal site"

    def ready(self):
        from careerportal import cache, checks, password_events  # noqa: F401 (checks register)

        cache.connect_invalidation()
        password_events.connect()


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with careerportal.admin_site.CareerPortalAdminSite as `admin.site`."""

    default_site = "careerportal.admin_site.CareerPortalAdminSite"
