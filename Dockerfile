# sswis for containers: Python 3.11, sswis installed from this repository with gunicorn, static files
# collected at build time. Nothing is fetched at run time (no CDN, no package index).
# Build: docker build -t sswis .   Run: see compose.yaml (PostgreSQL, web, background worker).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=sswis.settings.production \
    SSWIS_DATA_DIR=/var/lib/sswis \
    SSWIS_STATIC_ROOT=/opt/sswis/static

# lxml's and psycopg's wheels carry their own libraries: nothing to add to the base image.
# A non-root user runs every process.
RUN useradd --system --home-dir /var/lib/sswis --create-home --uid 10001 sswis

COPY pyproject.toml README.md /tmp/sswis-source/
COPY src /tmp/sswis-source/src
RUN pip install /tmp/sswis-source "gunicorn>=22" && rm -rf /tmp/sswis-source

# Static files (WhiteNoise serves them with their hashed names): collected once, at build. The secret key
# given here exists only for this command (production settings refuse to load without one); the
# container's real key comes from the environment at run time.
RUN SSWIS_SECRET_KEY=build-time-only-collectstatic sswis collectstatic --noinput \
    && chown -R sswis:sswis /var/lib/sswis

USER sswis
WORKDIR /var/lib/sswis
VOLUME ["/var/lib/sswis"]
EXPOSE 8000

# The web server; compose.yaml runs the migrations and the background worker from the same image.
CMD ["gunicorn", "--config", "python:sswis.gunicorn_config", "--workers", "4", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "sswis.wsgi"]
