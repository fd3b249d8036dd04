"""The README's nginx configuration, run in nginx with no app server answering: visitors get
the site's own "briefly unavailable" page with the site's security headers, not nginx's bare
"502 Bad Gateway". Skipped where nginx is not installed (`make test` installs it as root)."""

import base64
import hashlib
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "static" / "errors" / "unavailable.html"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _readme_nginx_block() -> str:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```nginx\n(.*?)```", readme, re.S).group(1)
    return "\n".join(line.removeprefix("   ") for line in block.splitlines())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_pages_inline_style_is_the_one_the_readme_allows():
    style = re.search(r"<style>(.*?)</style>", PAGE.read_text(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in _readme_nginx_block()
    # Nothing else for the policy to refuse: no script, no other style, no image.
    assert not re.search(r"<script|<img|<link|style=", PAGE.read_text())


@pytest.fixture
def nginx_without_app_servers(tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed")
    port = _free_port()
    site = _readme_nginx_block()
    site = re.sub(
        r"upstream careerportal \{[^}]*\}",
        f"upstream careerportal {{ server 127.0.0.1:{_free_port()}; }}",
        site,
    )
    site = re.sub(r"access_log \S+", f"access_log {tmp_path}/access.log", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = re.sub(r"\n\s*(listen 443 ssl|ssl_certificate(_key)?)\b[^\n]*", "", site)
    site = site.replace("/srv/careerportal/staticfiles/errors/", f"{PAGE.parent}/")
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"master_process off; daemon off; pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ {temp}\n{site}\n}}\n"
    )
    server = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "error.log").read_text()
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_with_no_app_server_answering_visitors_get_the_sites_page_and_headers(
    nginx_without_app_servers,
):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(nginx_without_app_servers + "/careers/ai-ml-engineer/", timeout=10)
    with refused.value as response:
        body = response.read().decode()
    assert response.code == 502
    assert "<h1>CareerPortal is briefly unavailable</h1>" in body and "nginx" not in body
    headers = response.headers
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Retry-After"] == "30"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    policy = headers["Content-Security-Policy"]
    for directive in ("default-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    # The page itself is not a page of the site: asked for directly, it is not found.
    with pytest.raises(urllib.error.HTTPError) as direct:
        urllib.request.urlopen(nginx_without_app_servers + "/_unavailable.html", timeout=10)
    direct.value.close()
    assert direct.value.code == 404
