"""The public catalogue pages (the catalogue and a service's page) cached per data version.

Their content depends only on the catalogue's data (services, requirements, agencies, SOPs and
their published versions), the language and the address, not on who asks: the rendered HTML is
kept in the shared cache (Redis in production) under the catalogue's *version*, a token that
any write of those models replaces. A hit costs two cache reads and no query; the pages' own
rendering cost (35-50 ms, mostly the template) is paid once per version and address.

The token is replaced twice: at the write (so the writing request itself sees the change) and
after its transaction commits (so a page rendered by another request from the data before the
commit, in the meantime, is not kept). Writes that bypass the signals (``QuerySet.update``)
touch only draft SOP versions (a published one is locked, ``SopVersionLocked``); the timeout
(``CATALOGUE_CACHE_SECONDS``) bounds what anything missed could keep.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "public-catalogue:version"
#: The templates and the icon sprite whose rendering is cached: a deploy that changes one
#: (or the static files' hashed names) starts new keys instead of serving the old HTML.
TEMPLATES = (
    "permits/_catalogue_page.html",
    "permits/_catalogue_results.html",
    "permits/_service_body.html",
    "includes/icon.html",
)


@functools.cache
def _deploy() -> str:
    from django.template import engines
    from django.templatetags.static import static

    engine = engines["django"]
    sources = [engine.engine.find_template(name)[0].source for name in TEMPLATES]
    return hashlib.sha256(repr((sources, static("img/icons.svg"))).encode()).hexdigest()[:12]


def version() -> str:
    """The catalogue's current version token (made on first use)."""
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(VERSION_KEY)
    return token


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def bump() -> None:
    """The catalogue's data changed: every cached page is outdated (now, and at the commit)."""
    _new_version()
    transaction.on_commit(_new_version)


def cached(parts: tuple, build: Callable[[], Any]) -> Any:
    """``build()``, kept under the catalogue's version, the active language and ``parts`` (the
    page and its parameters). ``build`` must not return None (it would never be a hit)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    # The office's day is part of the key: a version published ahead comes into force at
    # midnight WITA (``workflows.effective``) without any write to bump the version.
    day = timezone.localdate().isoformat()
    key = f"public-catalogue:{_deploy()}:{version()}:{get_language()}:{day}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.CATALOGUE_CACHE_SECONDS)
    return value


#: Values kept in this process by :func:`local` (cleared whole when it holds ``LOCAL_LIMIT``).
LOCAL_LIMIT = 512
_local: dict[tuple, Any] = {}


def local(parts: tuple, build: Callable[[], Any]) -> Any:
    """``build()``, kept in this process's memory under the catalogue's version and ``parts``:
    for small values read on many pages (the inbox's service list, an SOP version's steps)
    where even a cache round trip per value costs more than the value. One cache read (the
    version) per call; a write anywhere replaces the version, so every process rebuilds."""
    key = (version(), *parts)
    try:
        return _local[key]
    except KeyError:
        pass
    value = build()
    if len(_local) >= LOCAL_LIMIT:
        _local.clear()
    _local[key] = value
    return value


def _changed(sender, **kwargs) -> None:
    bump()


def connect() -> None:
    """Replace the version on every write of a model the public pages show."""
    from agencies.models import Agency
    from workflows.models import Sop, SopPerformer, SopStep, SopVersion

    from .models import Requirement, Service

    for model in (Service, Requirement, Agency, Sop, SopVersion, SopPerformer, SopStep):
        uid = f"public_cache.{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ".delete")
    m2m_changed.connect(
        _changed, sender=Service.technical_agencies.through, dispatch_uid="public_cache.m2m"
    )
