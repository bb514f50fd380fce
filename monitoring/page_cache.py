"""The monitoring figures and rendered fragments, kept twice: in the shared cache (``CACHES``,
Redis in production: computed once for every worker) and in this process (the last few, read
without a round trip). Both are keyed by the facts' version (``facts.cache_key``), which moves
at the commit of any change of a figure: a key is never read again once its figures changed,
so the copy in this process needs no invalidation of its own. Each copy lives at most
``MONITORING_CACHE_SECONDS`` (0: nothing is kept), which bounds what a page computed while a
writer was committing can keep."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

#: Entries kept in each process (languages × filters × tables; the least recently used goes
#: first). A dashboard body is 50-300 KB of HTML, so a worker keeps at most ~20 MB here.
LOCAL_ENTRIES = 64

_local: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def get_or_set(key: str | None, compute: Callable[[], Any]) -> Any:
    """The value under ``key``: from this process, else the shared cache, else ``compute()``
    (then kept in both). ``key`` None (no facts): computed every time."""
    seconds = settings.MONITORING_CACHE_SECONDS
    if key is None or seconds <= 0:
        return compute()
    # The shared cache's full key (with its prefix) names the copy here too.
    local_key = cache.make_key(key)
    now = time.monotonic()
    with _lock:
        hit = _local.get(local_key)
        if hit is not None and hit[0] > now:
            _local.move_to_end(local_key)
            return hit[1]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    with _lock:
        _local[local_key] = (now + seconds, value)
        _local.move_to_end(local_key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value


def forget() -> None:
    """Drop this process's copies (the shared cache keeps its own)."""
    with _lock:
        _local.clear()
