"""Structured logs: one JSON object per line, so a log shipper needs no parsing rules."""

import json
import logging
import re
import time
from contextvars import ContextVar

# Attributes every LogRecord has; anything else was passed through `extra=` and is kept.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
# Values written as they are; anything else (a request object, say) is written as str().
_PLAIN = (str, int, float, bool)


def _extra_keys(record: logging.LogRecord) -> list[str]:
    """The attributes passed through `extra=`, in the order they were given (worked out once
    a record: the filter and the formatter both ask)."""
    keys = record.__dict__.get("_extra_keys")
    if keys is None:
        keys = [k for k in record.__dict__ if k not in _STANDARD and not k.startswith("_")]
        record._extra_keys = keys
    return keys


# A control character in a logged text (a path holding "%0A", a header): written escaped.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\x{ord(char):02x}"


def _plain_value(value) -> str:
    text = value if isinstance(value, str) else str(value)
    return json.dumps(text, ensure_ascii=False) if not text or " " in text or '"' in text else text


class PlainFormatter(logging.Formatter):
    """LOG_FORMAT=plain: "time level logger message key=value...", one line a record (a
    traceback follows on its own lines), with the fields a JSON line has: without them a 503
    from /healthz said neither why (database_error) nor which request (request_id). A newline
    in the message, such as a requested path holding "%0A", is written as \\n: it wrote a
    second line that read as a record of its own."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        fields = "".join(
            f" {key}={_plain_value(record.__dict__[key])}" for key in _extra_keys(record)
        )
        return _CONTROL.sub(_escaped, super().formatMessage(record) + fields)


class JsonFormatter(logging.Formatter):
    # The last whole second formatted: the lines of one second share it.
    _second, _stamp = None, ""

    def format(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        if second != self._second:  # a handler formats under its lock: one thread at a time
            self._second = second
            self._stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        entry = {
            "time": f"{self._stamp}.{int(record.msecs):03d}+00:00",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in _extra_keys(record):
            value = record.__dict__[key]
            entry[key] = value if isinstance(value, _PLAIN) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# Paths that carry a secret: the private calendar feed token, the link in every reminder that
# switches reminders off (its page shows the learner's address), allauth's password-reset
# and e-mail confirmation keys, and the link that takes an address back from an account that
# holds it unconfirmed (careerportal/address_release.py).
_SECRET_PATHS = [
    (re.compile(r"/calendar/[^/\s\"']+\.ics"), "/calendar/<token>.ics"),
    (re.compile(r"/accounts/reminders/stop/[^/\s\"']+"), "/accounts/reminders/stop/<token>"),
    (re.compile(r"/accounts/password/reset/key/[^/\s\"']+"), "/accounts/password/reset/key/<key>"),
    (re.compile(r"/accounts/confirm-email/[^/\s\"']+"), "/accounts/confirm-email/<key>"),
    (re.compile(r"/accounts/address/release/[^/\s\"']+"), "/accounts/address/release/<token>"),
]


def redact(text: str) -> str:
    """Return text with secret URL parts replaced by placeholders."""
    # Every secret path contains one of these; text without them (nearly every log line)
    # is returned as it is, sparing the regular expressions.
    if (
        "/calendar/" not in text
        and "/reminders/stop/" not in text
        and "/reset/key/" not in text
        and "/confirm-email/" not in text
        and "/address/release/" not in text
    ):
        return text
    for pattern, placeholder in _SECRET_PATHS:
        text = pattern.sub(placeholder, text)
    return text


def holds_secret(path: str) -> bool:
    """Whether a URL path carries a secret that `redact` keeps out of the logs."""
    return redact(path) != path


class RedactSecretsFilter(logging.Filter):
    """Keeps feed tokens and reset keys out of every log line, whatever logged them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        for key in _extra_keys(record):
            value = record.__dict__[key]
            if not isinstance(value, _PLAIN):
                value = str(value)  # e.g. the WSGIRequest Django attaches to errors
            if isinstance(value, str):
                redacted = redact(value)
                if redacted is not record.__dict__[key]:
                    setattr(record, key, redacted)
        return True


# The id of the request this thread serves (RequestLogMiddleware sets it), for lines logged
# on its way that are not handed the request: a mail server refusing a sign-up's e-mail, say.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Gives every line logged while a request is served (the traceback of a 500, an e-mail
    not sent) the request's id, so that they can be found from the id the client and the proxy
    were sent."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "request_id" not in record.__dict__:
            request = record.__dict__.get("request")
            request_id = getattr(request, "id", None) or current_request_id.get()
            if request_id is not None:
                record.request_id = request_id
        return True


class RefusedHostOnOneLine(logging.Filter):
    """A request for a Host that is not ours (a scanner asking by IP address, a name pointed
    at the server by mistake) as one warning naming the host, not an error with a traceback:
    Django logs each one at ERROR with its stack, which paged whoever alerts on errors for
    traffic the site refuses as it should."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
