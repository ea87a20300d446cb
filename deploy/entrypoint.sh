#!/bin/sh
# The container's entrypoint (docs/deploy.md): which process this container runs.
#   web       gunicorn with deploy/gunicorn.conf.py (the default)
#   worker    the background task worker (manage.py db_worker, decision 0013); run as many
#             as the queue needs, on any machine that reaches the database
#   release   once per deployment, before the new web processes start: migrate as the
#             tables' owner (MIGRATION_DATABASE_URL), create the cache table if the cache
#             is in the database, then grant the application's role its privileges
#             (APP_DATABASE_ROLE, docs/database-roles.md)
#   manage    any management command, e.g. `manage verify_access_log --no-progress`
set -eu

here="$(dirname "$0")"
role="${1:-web}"
[ "$#" -gt 0 ] && shift
# For the HEALTHCHECK, which runs beside this process and cannot see its arguments.
echo "$role" > "${VAR_DIR:-/tmp}/.process" 2>/dev/null || true

case "$role" in
  web)
    exec gunicorn -c "$here/gunicorn.conf.py" continuum.wsgi "$@"
    ;;
  worker)
    exec django-admin db_worker --no-reload "$@"
    ;;
  release)
    owner_url="${MIGRATION_DATABASE_URL:-${DATABASE_URL:-}}"
    DATABASE_URL="$owner_url" django-admin migrate --no-input
    DATABASE_URL="$owner_url" django-admin createcachetable
    if [ -n "${APP_DATABASE_ROLE:-}" ]; then
      DATABASE_URL="$owner_url" django-admin setup_database_roles \
        --app-role "$APP_DATABASE_ROLE" --password-env APP_DATABASE_PASSWORD
    fi
    ;;
  manage)
    exec django-admin "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
