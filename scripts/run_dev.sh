#!/usr/bin/env bash
# Serve the app for development, with the scheduler as its own process beside it.
set -u
HOST="${1:-127.0.0.1}"
PORT="${2:-5000}"
BIN=.venv/bin
SCHED_PID=""
if "$BIN/flask" --app wsgi scheduler --help >/dev/null 2>&1; then
  "$BIN/flask" --app wsgi scheduler &
  SCHED_PID=$!
  trap '[ -n "$SCHED_PID" ] && kill $SCHED_PID 2>/dev/null' EXIT INT TERM
fi
echo "recruit: http://$HOST:$PORT  (Ctrl-C to stop)"
"$BIN/flask" --app wsgi run --host "$HOST" --port "$PORT"
