#!/usr/bin/env bash
# Run the suite on SQLite, then on PostgreSQL when a server answers.
set -u
PG_URL="${1:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
shift || true
BIN=.venv/bin
export RECRUIT_ENV=testing
# Two processes (pytest-xdist): each worker has its own database (<db>_gw0, <db>_gw1, created when
# missing) and its own SQLite file and instance folder (tests/workers.py). XDIST=0 runs in one.
XDIST="${XDIST:-2}"
PARALLEL=()
if [ "$XDIST" != "0" ]; then
  PARALLEL=(-n "$XDIST")
fi

echo "== tests on SQLite =="
TEST_DATABASE_URL_ACTIVE= "$BIN/python" -m pytest -q -p no:cacheprovider "${PARALLEL[@]}" "$@"
sqlite_rc=$?

if "$BIN/python" - "$PG_URL" <<'PY'
import sys
import psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL ($PG_URL) =="
  TEST_DATABASE_URL_ACTIVE="$PG_URL" "$BIN/python" -m pytest -q -p no:cacheprovider "${PARALLEL[@]}" "$@"
  pg_rc=$?
else
  echo "PostgreSQL at $PG_URL does not answer: skipped the PostgreSQL run (the SQLite run still counts)."
  pg_rc=0
fi

if [ $sqlite_rc -ne 0 ] || [ $pg_rc -ne 0 ]; then
  echo "FAILED: SQLite exit $sqlite_rc, PostgreSQL exit $pg_rc"
  exit 1
fi
