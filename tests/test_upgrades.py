"""A new release rolled out one app server at a time, as the README's step 6 says."""

import gzip

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client


def test_a_server_not_yet_restarted_serves_the_next_releases_static_files(db, settings, tmp_path):
    """Mid-way through a rolling upgrade, a page from an upgraded server links the new
    release's hashed CSS, and the balancer may ask a server still running the old code for it.
    That server's collectstatic has written the file (the README's order), so it serves it."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    old_server = Client()  # a new handler: whitenoise lists STATIC_ROOT when it starts
    old_url = staticfiles_storage.url("css/site.css")
    response = old_server.get(old_url)
    response.close()
    assert response.status_code == 200
    # The next release's collectstatic, run on this server before its restart.
    css = b".career-tagline { letter-spacing: 0.01em; }\n" * 40
    new_name = "css/site.0123456789ab.css"
    (settings.STATIC_ROOT / new_name).write_bytes(css)
    (settings.STATIC_ROOT / f"{new_name}.gz").write_bytes(gzip.compress(css))

    response = old_server.get(f"/static/{new_name}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == css
    assert "default-src 'none'" in response["Content-Security-Policy"]
    response.close()
    # Files collectstatic never wrote stay 404, as do unhashed names and paths out of the folder.
    for path in ("/static/css/site.fedcba987654.css", "/static/css/site.css", "/static/../x"):
        assert old_server.get(path).status_code == 404, path
