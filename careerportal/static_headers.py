"""The security headers of static files, which whitenoise serves before any middleware that
adds them to pages (WHITENOISE_ADD_HEADERS_FUNCTION, called once per file at start-up).

A static file opened on its own (an SVG is a document that could hold script) may run
nothing, load nothing and be framed by no one. An SVG may still style itself (Django's admin
icons carry style attributes) and draw embedded images. SecurityMiddleware, outside
whitenoise, adds nosniff, the referrer and opener policies as it does to every response.
"""

STATIC_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
SVG_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def add_security_headers(headers, path: str, url: str) -> None:
    svg = path.lower().endswith((".svg", ".svg.gz", ".svg.br"))
    headers["Content-Security-Policy"] = SVG_POLICY if svg else STATIC_POLICY
    headers["X-Frame-Options"] = "DENY"
