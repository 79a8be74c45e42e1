#!/usr/bin/env bash
# Serves the portal. With REDIS_URL set, a Celery worker and beat run beside the web server and
# stop with it; without it, tasks run in-process and nothing else is started.
set -euo pipefail
port="${1:-8000}"
# Links in emails (sent by workers, which have no request) point at this server unless SITE_URL says otherwise.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${port}}"
py=.venv/bin/python
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  echo "REDIS_URL is set: starting a Celery worker and beat beside the web server."
  .venv/bin/celery -A lis_portal worker --loglevel=INFO --concurrency=2 &
  pids+=($!)
  .venv/bin/celery -A lis_portal beat --loglevel=INFO --schedule=.venv/celerybeat-schedule &
  pids+=($!)
else
  echo "No REDIS_URL: tasks run in-process."
fi
echo "LIS Portal: http://127.0.0.1:${port}/"
"$py" manage.py runserver "127.0.0.1:${port}"
