"""The small cache behind the slot cache and /book's page cache."""
from lru import LRU


def test_the_least_recently_used_entry_goes_first():
    cache = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_a_kept_empty_list_is_a_hit_and_clear_forgets_everything():
    cache = LRU(4)
    cache.put("no slots", [])
    assert cache.get("no slots") == [] and cache.get("missing") is None
    cache.clear()
    assert cache.get("no slots") is None and len(cache) == 0
