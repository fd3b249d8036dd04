"""The whole site under /mounted/: a URLconf for tests/test_urlcache.py."""

from django.urls import include, path

urlpatterns = [path("mounted/", include("careerportal.urls"))]
