"""recruit.core.cache.LRU, the one in-process cache (feeds and matchmaking use it)."""

from __future__ import annotations

import threading

from recruit.core.cache import LRU


def test_the_lru_is_bounded_and_keeps_the_recently_used():
    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1
    lru.put("c", 3)
    assert len(lru) == 2 and lru.get("b") is None and lru.get("a") == 1 and lru.get("c") == 3
    lru.clear()
    assert len(lru) == 0 and lru.get("a", "gone") == "gone"


def test_the_lru_survives_threads():
    lru = LRU(50)

    def work(n: int) -> None:
        for i in range(2000):
            lru.put((n, i % 80), i)
            lru.get((n, (i * 7) % 80))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(lru) == 50
