# SOP Portal: one image for the web server (gunicorn), the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SOP_PORTAL_ENV=production \
    SOP_PORTAL_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3 \
    XDG_CACHE_HOME=/app/var/cache

# WeasyPrint (PDFs) needs Pango and HarfBuzz, and fonts: DejaVu, and Liberation for Arial and
# Times metrics.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system sop && useradd --system --gid sop --home-dir /app --no-create-home sop

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Editable, so that the code runs from /app, next to templates/, static/ and locale/ (the
# settings find them beside the sop_portal package).
RUN pip install --no-deps -e . \
    && SECRET_KEY=collectstatic-only-not-a-real-secret-0123456789abcdefghijklmnopqrstuvwxyz \
       DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
       ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var/backups /app/media \
    && chown -R sop:sop /app/var /app/media

USER sop
EXPOSE 8000

# /health/ over HTTP from inside the container: as the first allowed host, and marked as
# forwarded from HTTPS so that SECURE_SSL_REDIRECT does not answer with a redirect.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD \
    python -c "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/health/', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"

# WEB_CONCURRENCY sets the number of gunicorn workers.
CMD ["gunicorn", "sop_portal.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
