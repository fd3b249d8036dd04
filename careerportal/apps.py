from django.apps import AppConfig


class CareerPortalConfig(AppConfig):
    name = "careerportal"
    verbose_name = "CareerPortal site"

    def ready(self):
        from careerportal import cache

        cache.connect_invalidation()
