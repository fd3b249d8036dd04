from django.apps import AppConfig
from django.db.models.signals import post_save


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = "Certifications"

    def ready(self):
        from certifications.models import Certification, Replacement
        from certifications.services.chains import chains_loaded

        # The chain fields a Certification keeps, for rows saved without an editor's save.
        post_save.connect(chains_loaded, sender=Replacement, dispatch_uid="chains-replacement")
        post_save.connect(chains_loaded, sender=Certification, dispatch_uid="chains-loaded")
