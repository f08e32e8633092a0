"""One rule for the links users give (a fair's and a venue's online room): core.urls.is_http_url."""

import pytest

from recruit.admin import services as admin_services
from recruit.core.errors import ServiceError
from recruit.core.urls import is_http_url


@pytest.mark.parametrize(
    "value, ok",
    [
        ("https://meeting.tencent.com/dm/abc", True),
        ("HTTP://example.com", True),
        ("http://x", False),  # a host of one character is not a link anyone meant
        ("ftp://example.com", False),
        ("https:// example.com", False),
        ("https://example.com/a b", False),
        ("example.com", False),
        ("https://example.com/" + "a" * 480, True),
        ("https://example.com/" + "a" * 481, False),  # longer than the 500-character columns
    ],
)
def test_is_http_url(value, ok):
    assert is_http_url(value) is ok


def test_the_venue_check_refuses_what_the_rule_refuses(app):
    """The admin's venue check (like the fair form's) goes through the rule: a one-character host
    the old venue pattern accepted is refused."""
    base = dict(name="线上会议室", campus="", capacity=100, setting="online", address="")
    with pytest.raises(ServiceError, match="http:// 或 https://"):
        admin_services.check_venue(dict(base, online_url="http://x"))
    assert admin_services.check_venue(dict(base, online_url="https://example.com/room"))["online_url"]
