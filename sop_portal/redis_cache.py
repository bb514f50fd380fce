"""Django's Redis cache, with one client object per connection pool instead of one per call.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and
each one fills its table of ~170 response callbacks: about a third of a millisecond of CPU on a
signed-in page, whose session is read from the cache. A ``redis.Redis`` is thread-safe and
holds no connection of its own (the pool does), so one per pool serves every call."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with a shared client (see above)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _SharedClient
