"""Structured logs: one JSON object per line, so a log shipper needs no parsing rules."""

import json
import logging
import re
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed through `extra=` and is kept.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _extra_keys(record: logging.LogRecord) -> list[str]:
    """The attributes passed through `extra=`, in the order they were given."""
    return [k for k in record.__dict__ if k not in _STANDARD and not k.startswith("_")]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in _extra_keys(record):
            value = record.__dict__[key]
            entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# Paths that carry a secret: the private calendar feed token and allauth's password-reset key.
_SECRET_PATHS = [
    (re.compile(r"/calendar/[^/\s\"']+\.ics"), "/calendar/<token>.ics"),
    (re.compile(r"/accounts/password/reset/key/[^/\s\"']+"), "/accounts/password/reset/key/<key>"),
]


# Every secret path contains one of these; text without them is returned untouched, which
# spares the regular expressions on nearly every log line.
_SECRET_MARKERS = ("/calendar/", "/reset/key/")


def redact(text: str) -> str:
    """Return text with secret URL parts replaced by placeholders."""
    if not any(marker in text for marker in _SECRET_MARKERS):
        return text
    for pattern, placeholder in _SECRET_PATHS:
        text = pattern.sub(placeholder, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Keeps feed tokens and reset keys out of every log line, whatever logged them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        for key in _extra_keys(record):
            value = record.__dict__[key]
            if not isinstance(value, str | int | float | bool):
                value = str(value)  # e.g. the WSGIRequest Django attaches to errors
            if isinstance(value, str):
                setattr(record, key, redact(value))
        return True
