# One image for web, worker and beat. Built from Debian's Python image with the system
# libraries WeasyPrint needs, the pinned Python dependencies, and the compiled GOV.UK assets.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=lis_portal.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY package.json package-lock.json ./
COPY . .
RUN bash scripts/build_assets.sh \
 && SECRET_KEY=build ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build \
    DEFAULT_FROM_EMAIL=build@example.org EMAIL_URL=consolemail:// python manage.py collectstatic --no-input \
 && rm -rf node_modules

RUN useradd --create-home lis && chown -R lis /app
USER lis
EXPOSE 8000
CMD ["gunicorn", "lis_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
