from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = "Certifications"

    def ready(self):
        from certifications.models import Certification, Replacement
        from certifications.services.chains import chains_deleted, chains_deleting, chains_loaded

        # The chain fields a Certification keeps, for rows saved without an editor's save.
        post_save.connect(chains_loaded, sender=Replacement, dispatch_uid="chains-replacement")
        post_save.connect(chains_loaded, sender=Certification, dispatch_uid="chains-loaded")
        # And of the exams whose chains held a certification deleted (its rows cascade away).
        pre_delete.connect(chains_deleting, sender=Certification, dispatch_uid="chains-deleting")
        post_delete.connect(chains_deleted, sender=Certification, dispatch_uid="chains-deleted")
