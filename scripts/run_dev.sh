#!/usr/bin/env bash
# Serve the app for development, with the scheduler as its own process beside it.
set -u
HOST="${1:-127.0.0.1}"
PORT="${2:-5000}"
BIN=.venv/bin
SCHED_PID=""
if "$BIN/flask" --app wsgi scheduler --help >/dev/null 2>&1; then
  # The scheduler's e-mails have no request to take the host from: give it HOST and PORT.
  PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://$HOST:$PORT}" "$BIN/flask" --app wsgi scheduler &
  SCHED_PID=$!
  trap '[ -n "$SCHED_PID" ] && kill $SCHED_PID 2>/dev/null' EXIT INT TERM
fi
# Without PUBLIC_BASE_URL, calendar and e-mail links follow the address the browser used
# (development only; production always uses PUBLIC_BASE_URL).
echo "recruit: http://$HOST:$PORT  (Ctrl-C to stop)"
"$BIN/flask" --app wsgi run --host "$HOST" --port "$PORT"
