"""The one in-process cache: a bounded least-recently-used mapping (``cachetools.LRUCache``)
that a worker's threads may share. Feeds keep built calendars in one; matchmaking keeps
ranked lists per index state in one."""

from __future__ import annotations

import threading
from typing import Any, Hashable

from cachetools import LRUCache


class LRU:
    """At most ``size`` entries; reading an entry makes it the most recently used."""

    def __init__(self, size: int):
        self.size = max(int(size), 1)
        self._data: LRUCache = LRUCache(maxsize=self.size)
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            return self._data.get(key, default)

    def put(self, key: Hashable, value: Any) -> Any:
        """Store ``value`` (evicting the least recently used entry when full) and return it."""
        with self._lock:
            self._data[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
