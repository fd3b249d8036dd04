import pytest
from django.contrib.auth import get_user_model

from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # A fast hasher, a throwaway MEDIA_ROOT and plain static storage (no manifest needed).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "editor", "editor@example.com", "editor-password-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def client_as_staff(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user(
        "learner", "learner@example.com", "learner-password-123"
    )


@pytest.fixture
def other_learner(db):
    return get_user_model().objects.create_user("other", "other@example.com", "other-password-123")


@pytest.fixture
def client_as_learner(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def career_with_roadmap(db):
    """A published career with three required certification steps."""
    career = CareerFactory(title="ML Engineer", slug="ml-engineer")
    for position in range(3):
        RoadmapStepFactory(career=career, certification=CertificationFactory(), position=position)
    return career
