"""A small thread-safe least-recently-used cache, for values one process may keep a while."""
from collections import OrderedDict
from threading import Lock


class LRU:
    def __init__(self, size):
        self.size = size
        self._items = OrderedDict()
        self._lock = Lock()

    def get(self, key):
        """The value kept for `key` (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._items.clear()

    def __len__(self):
        return len(self._items)
