"""The ceiling: a minimal WSGI app returning stored page bytes, under the same gunicorn.

BENCH_BODIES names a folder of files written by the benchmark; each holds one page's bytes
and its file name is the quoted request path (with query string).
"""

import os
import urllib.parse
from pathlib import Path

BODIES = {
    urllib.parse.unquote(path.name): path.read_bytes()
    for path in Path(os.environ["BENCH_BODIES"]).iterdir()
}


def application(environ, start_response):
    key = environ.get("PATH_INFO", "/")
    if environ.get("QUERY_STRING"):
        key += "?" + environ["QUERY_STRING"]
    body = BODIES.get(key)
    if body is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    start_response(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]
