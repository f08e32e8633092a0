"""Fixtures of the feeds tests: a fixed clock and a parser that is not the writer."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import time_machine
import vobject

#: 2026-11-20 10:00 in Shanghai.
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def parse(body: bytes):
    """Parse a feed with vobject (independent of icalendar, which writes it)."""
    assert isinstance(body, bytes)
    return vobject.readOne(body.decode("utf-8"))


def events(cal) -> list:
    return list(getattr(cal, "vevent_list", []))


def by_uid(cal) -> dict:
    return {e.uid.value: e for e in events(cal)}


def unfolded_lines(body: bytes) -> list[str]:
    text = body.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    return text.split("\r\n")


def unfolded(body: bytes) -> str:
    """The feed text with folded lines joined: substring checks must not miss a folded word."""
    return body.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
