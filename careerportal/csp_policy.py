"""django-csp's middleware, with each Content-Security-Policy header built once per process.

django-csp 4.0 builds both policies (enforced and report-only) from the settings on every
response, copying each directive: a quarter of the CPU a small page costs (0.34 of 1.36 M
instructions for /robots.txt). The settings do not change while the process runs (a test's
override_settings clears what was built), so each policy is built once, with a stand-in where
the request's nonce goes; responses whose view set a policy of its own (django-csp's
decorators) are built as django-csp builds them.
"""

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_NONCE = "careerportal-csp-nonce-stand-in"
# Set on a response by django-csp's decorators (csp_update, csp_replace, csp_override...).
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_built: dict[tuple[bool, bool], str] = {}


@receiver(setting_changed)
def _forget_built_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


def site_policy(*, report_only: bool, nonce: str | None) -> str:
    """The settings' policy with `nonce`, as csp.utils.build_policy() writes it."""
    key = (report_only, bool(nonce))
    policy = _built.get(key)
    if policy is None:
        policy = _built[key] = build_policy(
            nonce=_NONCE if nonce else None, report_only=report_only
        )
    return policy.replace(_NONCE, nonce) if nonce else policy


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's CSPMiddleware (the same headers, nonce and checks), its policies built
    once per process."""

    def process_response(self, request, response):
        if any(getattr(response, name, None) is not None for name in _OWN_POLICY):
            return super().process_response(request, response)
        debug_codes = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
        if response.status_code in debug_codes and settings.DEBUG:
            return response
        nonce = getattr(request, "_csp_nonce", None)
        for header, setting, exempt, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
        ):
            policy = site_policy(report_only=report_only, nonce=nonce)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
            if not request.path_info.startswith(tuple(prefixes or ())):
                response[header] = policy
        # As django-csp: a nonce asked for once the header is written would be in no header.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
