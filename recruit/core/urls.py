"""The public base URL of absolute links (calendar feeds, "copy link", e-mails).

In production ``PUBLIC_BASE_URL`` is the rule: a Host header never decides where links point.
In development, when ``PUBLIC_BASE_URL`` is not set in the environment, links follow the
request (``make run PORT=5071`` gives links to port 5071); outside a request (the scheduler's
e-mails) the configured value is used.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

from recruit.validation import LIMITS


def public_base_url() -> str:
    """``scheme://host[:port][/prefix]`` without a trailing slash."""
    config = current_app.config
    if config.get("PUBLIC_BASE_URL_FROM_REQUEST") and has_request_context():
        return request.host_url.rstrip("/")
    return config["PUBLIC_BASE_URL"].rstrip("/")


def configured_host() -> str:
    """The host of the configured ``PUBLIC_BASE_URL`` (stable: calendar UIDs are built on it)."""
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


#: An http(s) link a user may give (a fair's or a venue's online room): a host, no spaces.
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)


def is_http_url(value: str) -> bool:
    """Whether ``value`` is an http:// or https:// link no longer than the columns hold (``LIMITS["url"]``)."""
    return len(value) <= LIMITS["url"] and _HTTP_URL.match(value) is not None
