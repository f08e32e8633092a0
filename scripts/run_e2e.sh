#!/usr/bin/env bash
# Browser journeys: Debian's chromium driven by Playwright (Python), against the demo data.
#
# Installs what it needs (the chromium package when /usr/bin/chromium is missing, the pinned
# Python packages of requirements-e2e.txt into .venv; never `playwright install`, which
# downloads a browser), starts the app on a free loopback port with a fresh SQLite database
# in a temporary folder, loads the demo data, runs `pytest tests/e2e` and always stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DEBIAN_FRONTEND=noninteractive

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium =="
  apt_opts=(-q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  for attempt in 1 2 3; do
    if apt-get update -q && apt-get install "${apt_opts[@]}" chromium </dev/null; then
      break
    fi
    echo "apt-get failed (attempt $attempt); retrying"
    sleep 5
  done
  [ -x /usr/bin/chromium ] || { echo "could not install chromium"; exit 1; }
fi

# Chinese fonts, so that pages lay out (and screenshots read) as users see them: Noto Sans CJK
# (the stack's Linux font, same metrics as Source Han Sans) and WenQuanYi Micro Hei as a fallback.
if ! fc-list :lang=zh family 2>/dev/null | grep -q "Noto Sans CJK SC"; then
  echo "== installing Chinese fonts (fonts-noto-cjk, fonts-wqy-microhei) =="
  for attempt in 1 2 3; do
    if apt-get update -q && apt-get install -q -y fonts-noto-cjk fonts-wqy-microhei </dev/null; then break; fi
    echo "apt-get failed (attempt $attempt); retrying"
    sleep 5
  done
  fc-list :lang=zh 2>/dev/null | grep -q . || echo "warning: no Chinese font; screenshots will show boxes"
fi

STAMP="$BIN/.e2e-installed-$(cksum < requirements-e2e.txt | cut -d' ' -f1)"
if [ ! -f "$STAMP" ]; then
  echo "== installing requirements-e2e.txt =="
  "$BIN/python" -m pip install --quiet -r requirements-e2e.txt
  rm -f "$BIN"/.e2e-installed-*
  touch "$STAMP"
fi

WORK="$(mktemp -d -t recruit-e2e-XXXXXX)"
PORT="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export RECRUIT_INSTANCE_DIR="$WORK/instance"
export DATABASE_URL="sqlite:///$WORK/e2e.sqlite3"
# No PUBLIC_BASE_URL: in development absolute links follow the address the browser used
# (a journey opens the app as localhost to check it).
unset PUBLIC_BASE_URL
export RECRUIT_ENV=development
export SECRET_KEY="e2e-$(date +%s)-$RANDOM-not-secret"
unset TEST_DATABASE_URL_ACTIVE
mkdir -p "$RECRUIT_INSTANCE_DIR"

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "== fresh database in $WORK =="
"$BIN/flask" --app wsgi db upgrade
if "$BIN/flask" --app wsgi holidays --help >/dev/null 2>&1; then
  "$BIN/flask" --app wsgi holidays sync || echo "holidays sync failed (continuing with the packaged calendar)"
fi
"$BIN/flask" --app wsgi demo load

echo "== serving on 127.0.0.1:$PORT =="
"$BIN/gunicorn" --bind "127.0.0.1:$PORT" --workers 2 --threads 4 --timeout 120 --graceful-timeout 3 \
  --access-logfile "$WORK/access.log" --error-logfile "$WORK/server.log" wsgi:app </dev/null &
SERVER_PID=$!

for _ in $(seq 1 120); do
  if "$BIN/python" - "$PORT" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
  then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server died:"; cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done

export E2E_BASE_URL="http://127.0.0.1:$PORT"
export E2E_CHROMIUM=/usr/bin/chromium
rc=0
"$BIN/python" -m pytest tests/e2e -q -p no:cacheprovider "$@" || rc=$?
if [ $rc -ne 0 ]; then
  echo "== server log (tail) =="
  tail -n 80 "$WORK/server.log" || true
fi
exit $rc
