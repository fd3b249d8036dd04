"""Slug URLs reversed once per process instead of on every link.

A career page links about thirty certifications, careers and employers, and Django's
`reverse()` walks the URL patterns and quotes its arguments on each call (about 34 µs here):
5-10% of a career page's CPU. The URL of a (view, slug) pair only changes with the URLconf or
the script prefix (the path a proxy mounts the site under), so both are part of the key.
"""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=4096)  # a few hundred KiB at most: every slug the site has, twice over
def _reverse_slug(viewname: str, slug: str, urlconf: str, script_prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs={"slug": slug})


@lru_cache(maxsize=256)  # the site's views that take no argument
def _reverse_plain(viewname: str, urlconf: str, script_prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf)


def reverse_plain(viewname: str) -> str:
    """`reverse(viewname)` for a view that takes no argument, remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse_plain(viewname, urlconf, get_script_prefix())


def reverse_slug(viewname: str, slug: str) -> str:
    """`reverse(viewname, kwargs={"slug": slug})`, remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse_slug(viewname, slug, urlconf, get_script_prefix())


@lru_cache(maxsize=256)  # the static files the templates name
def _static(path: str, script_prefix: str) -> str:
    return static(path)


def static_url(path: str) -> str:
    """`{% static path %}`'s URL, remembered: finding a file's hashed name in the manifest and
    joining it to STATIC_URL cost about 12 us, and a page names ten."""
    return _static(path, get_script_prefix())


@receiver(setting_changed)
def _forget_static_urls(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG", "INSTALLED_APPS"}:
        _static.cache_clear()
