"""Each pytest-xdist worker (``make test`` runs ``-n 2``) gets a database and an instance folder of its own."""

from __future__ import annotations

import os
from collections.abc import Mapping

import psycopg
from psycopg import sql


def worker_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``TEST_DATABASE_URL_ACTIVE`` and ``RECRUIT_INSTANCE_DIR`` of the worker ``PYTEST_XDIST_WORKER``
    (``gw0``, ``gw1``...), derived from the ones the controller chose."""
    worker = environ["PYTEST_XDIST_WORKER"]
    instance = os.path.join(environ["RECRUIT_INSTANCE_DIR"], worker)
    os.makedirs(instance, exist_ok=True)
    return {
        "TEST_DATABASE_URL_ACTIVE": worker_database(environ["TEST_DATABASE_URL_ACTIVE"], worker),
        "RECRUIT_INSTANCE_DIR": instance,
    }


def worker_database(url: str, worker: str) -> str:
    """``<db>_gw0`` on PostgreSQL (created when missing), ``<file>-gw0.sqlite3`` beside the SQLite
    file; an in-memory SQLite stays as it is."""
    if url.startswith("postgresql"):
        base, _, name = url.rpartition("/")
        name, _, query = name.partition("?")
        own = f"{name}_{worker}"
        _create_database(f"{base}/postgres", own)
        return f"{base}/{own}" + (f"?{query}" if query else "")
    path = url.removeprefix("sqlite:///")
    if path == url or not path or path == ":memory:":
        return url
    stem, dot, ext = path.rpartition(".")
    return f"sqlite:///{stem}-{worker}.{ext}" if dot else f"sqlite:///{path}-{worker}"


def _create_database(maintenance_url: str, name: str) -> None:
    """CREATE DATABASE ``name`` unless it exists (through the server's maintenance database)."""
    with psycopg.connect(maintenance_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
