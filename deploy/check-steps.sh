#!/usr/bin/env bash
# The Containerfile's steps, run without a container engine (none on the machines this was
# written on): a fresh virtualenv stands in for the image. It installs the application
# from pyproject.toml the way the image does (`pip install .` from a copy holding only what
# the image copies), collects the static files, then runs the entrypoint's release, web and
# worker processes against DATABASE_URL, from an empty folder (so nothing is imported from
# the checkout), and checks:
#   - /health/live and /health/ready answer 200, and the image's HEALTHCHECK script passes;
#   - the sign-in page and a GOV.UK Frontend stylesheet are served (WhiteNoise, STATIC_ROOT);
#   - every line gunicorn and the application wrote is a JSON object, and the access lines
#     carry the request id the responses returned;
#   - the task worker starts, runs what is queued and stops (db_worker --batch).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb deploy/check-steps.sh
#
# CHECK_DIR (default /tmp/continuum-check) is deleted and made again; CHECK_PORT (8941);
# CHECK_KEEP_VENV=1 keeps its virtualenv's dependencies (after a change to the code only).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${CHECK_DIR:-/tmp/continuum-check}"
PORT="${CHECK_PORT:-8941}"
PYTHON="${PYTHON:-python3.11}"
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to serve.}"

step() { printf '\n== %s\n' "$*"; }

step "a fresh virtualenv at $WORK/venv (the image's /opt/continuum)"
VENV="$WORK/venv"
if [ -n "${CHECK_KEEP_VENV:-}" ] && [ -x "$VENV/bin/python" ]; then
    # Again after a change to the code only: the dependencies are installed already.
    rm -rf "$WORK/src" "$WORK/run" "$WORK/var" "$WORK/static"
    NO_DEPS=--no-deps
else
    rm -rf "$WORK"
    "$PYTHON" -m venv "$VENV"
    NO_DEPS=
fi
mkdir -p "$WORK/src" "$WORK/run" "$WORK/var" "$WORK/deploy"

step "pip install . (COPY pyproject.toml README.md continuum; RUN pip install .)"
cp "$ROOT/pyproject.toml" "$ROOT/README.md" "$WORK/src/"
tar -C "$ROOT" --exclude='__pycache__' --exclude='*.pyc' -cf - continuum | tar -C "$WORK/src" -xf -
cp "$ROOT/deploy/gunicorn.conf.py" "$ROOT/deploy/entrypoint.sh" "$ROOT/deploy/healthcheck.py" \
    "$WORK/deploy/"
(cd "$WORK/src" && "$VENV/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check \
    $NO_DEPS --force-reinstall .)
rm -rf "$WORK/src"  # the image keeps only the installed package

export PATH="$VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE=continuum.settings
export VAR_DIR="$WORK/var" STATIC_ROOT="$WORK/static" LOG_FORMAT=json
cd "$WORK/run"
python - <<'PY'
import continuum, sys
assert "/venv/" in continuum.__file__, continuum.__file__
print("continuum imported from", continuum.__file__)
PY

step "collectstatic (node_modules: npm ci in the image; the checkout's here)"
NODE_MODULES_DIR="$ROOT/node_modules" django-admin collectstatic --no-input --skip-checks \
    | tail -1
test -f "$STATIC_ROOT/govuk/govuk-frontend.min.css"

export SECRET_KEY="check-steps-$(python -c 'import secrets; print(secrets.token_hex(24))')"
export ALLOWED_HOSTS=127.0.0.1,localhost GUNICORN_BIND="127.0.0.1:$PORT"
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-2}" GUNICORN_THREADS="${GUNICORN_THREADS:-4}"

step "release (migrate as the owner; createcachetable)"
"$WORK/deploy/entrypoint.sh" release 2>&1 | tail -3

step "web: gunicorn -c deploy/gunicorn.conf.py continuum.wsgi on 127.0.0.1:$PORT"
"$WORK/deploy/entrypoint.sh" web >"$WORK/web.log" 2>&1 &
web=$!
trap 'kill "$web" 2>/dev/null || true; wait "$web" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    python "$WORK/deploy/healthcheck.py" && break
    sleep 1
done
python "$WORK/deploy/healthcheck.py" && echo "HEALTHCHECK passes"

python - "$PORT" "$WORK/web.log" <<'PY'
import json, sys, time, urllib.request, urllib.error

port, log = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
ids = []

def get(path, host=None):
    request = urllib.request.Request(base + path, headers={"Host": host} if host else {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            status, body, rid = r.status, r.read(), r.headers.get("X-Request-ID")
    except urllib.error.HTTPError as e:
        status, body, rid = e.code, e.read(), e.headers.get("X-Request-ID")
    ids.append(rid)
    print(f"GET {path} -> {status} ({len(body)} bytes, {1000 * (time.perf_counter() - started):.0f} ms)")
    return status, body

assert get("/health/live") == (200, b'{"status": "ok"}')
status, body = get("/health/ready")
assert status == 200, body
print("  ", body.decode())
assert get("/health/live", host="10.9.8.7:8000")[0] == 200  # a probe by IP address
assert get("/accounts/sign-in")[0] == 200
assert get("/accounts/sign-in")[0] == 200
status, css = get("/assets/govuk/govuk-frontend.min.css")
assert status == 200 and len(css) > 10_000
time.sleep(1)
lines = [line for line in open(log).read().splitlines() if line.strip()]
parsed = [json.loads(line) for line in lines]  # every line is a JSON object
logged = {p.get("request_id") for p in parsed if p.get("logger") == "gunicorn.access"}
missing = [i for i in ids if i and i not in logged]
assert not missing, missing
print(f"{len(parsed)} log lines, all JSON; every response's request id is in the access log")
PY

step "worker: db_worker --batch (runs what is queued, then stops)"
# Standard output only: the system checks' warnings, if any, go to standard error as text.
timeout 120 "$WORK/deploy/entrypoint.sh" worker --batch --no-startup-delay >"$WORK/worker.log"
python -c "import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]" "$WORK/worker.log"
echo "worker ran and stopped; its $(grep -c . "$WORK/worker.log" || true) log lines are JSON"

step "all steps passed"
