"""Shared fixtures: a fixed cast of users per role (Ani the applicant, Budi at the front office,
Citra the OPD officer, Dewi the head, Eko the administrator) and Celery run eagerly, except in
the tests that start a real worker."""

import uuid

import pytest
from django.utils import translation

from agencies.models import Role
from sop_portal.celery import app as celery_app

from .factories import AgencyFactory, MembershipFactory, UserFactory, office


@pytest.fixture(autouse=True)
def _eager_celery(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Throttles (the one tracking throttle counts failures per client address, and every
    test client is 127.0.0.1) live in the cache: each test gets a key prefix of its own, so it
    starts from zero. Not ``cache.clear()``: on Redis that flushes the whole database, the
    Celery broker's queues of the tests running beside it included."""
    default = settings.CACHES["default"]
    settings.CACHES = {"default": {**default, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    yield


@pytest.fixture(autouse=True)
def _language(request, settings):
    """Each test runs in one known language, so no language leaks from a previous request on
    the same worker: English (the msgids) by default, so tests read the source texts;
    Indonesian, the portal's real default, for tests marked ``indonesian``."""
    language = "id" if request.node.get_closest_marker("indonesian") else "en"
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        yield


@pytest.fixture
def dpmptsp(db):
    return office()


@pytest.fixture
def dishub(db):
    return AgencyFactory(code="DISHUB", name="Dinas Perhubungan")


@pytest.fixture
def ani(db):
    return UserFactory(email="ani@contoh.id", full_name="Ani Pemohon")


@pytest.fixture
def budi(dpmptsp):
    return MembershipFactory(
        user__email="budi@dpmptsp.go.id",
        user__full_name="Budi Front Office",
        agency=dpmptsp,
        role=Role.FRONT_OFFICE,
    ).user


@pytest.fixture
def citra(dishub):
    return MembershipFactory(
        user__email="citra@dishub.go.id",
        user__full_name="Citra OPD",
        agency=dishub,
        role=Role.TECHNICAL_OFFICER,
    ).user


@pytest.fixture
def dewi(dpmptsp):
    return MembershipFactory(
        user__email="dewi@dpmptsp.go.id",
        user__full_name="Dewi Kepala",
        agency=dpmptsp,
        role=Role.HEAD,
    ).user


@pytest.fixture
def eko(dpmptsp):
    user = MembershipFactory(
        user__email="eko@dpmptsp.go.id",
        user__full_name="Eko Administrator",
        agency=dpmptsp,
        role=Role.ADMINISTRATOR,
    ).user
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user
