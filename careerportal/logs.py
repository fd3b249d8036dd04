"""Structured logs: one JSON object per line, so a log shipper needs no parsing rules."""

import json
import logging
import re
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed through `extra=` and is kept.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# Paths that carry a secret: the private calendar feed token and allauth's password-reset key.
_SECRET_PATHS = [
    (re.compile(r"/calendar/[^/\s\"']+\.ics"), "/calendar/<token>.ics"),
    (re.compile(r"/accounts/password/reset/key/[^/\s\"']+"), "/accounts/password/reset/key/<key>"),
]


def redact(text: str) -> str:
    """Return text with secret URL parts replaced by placeholders."""
    for pattern, placeholder in _SECRET_PATHS:
        text = pattern.sub(placeholder, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Keeps feed tokens and reset keys out of every log line, whatever logged them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and not key.startswith("_"):
                if not isinstance(value, str | int | float | bool):
                    value = str(value)  # e.g. the WSGIRequest Django attaches to errors
                if isinstance(value, str):
                    setattr(record, key, redact(value))
        return True
