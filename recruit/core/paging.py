"""Pagination, one way: :func:`paginate` (``db.paginate``) with the page number from :func:`page_arg`."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, request
from flask_sqlalchemy.pagination import Pagination

from recruit.extensions import db

#: Page numbers beyond this are read as this one (an empty page): a huge ``?page=`` must not
#: become an OFFSET the database cannot represent.
MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """The page number of this request's ``?page=``: 1 when missing, malformed or below 1."""
    value = request.args.get(name, 1, type=int) if has_request_context() else 1
    return min(max(value or 1, 1), MAX_PAGE)


def paginate(query: sa.Select, per_page: int, page: int | None = None) -> Pagination:
    """One page of ``query`` (``.items``, ``.total``, ``.page``); an out-of-range page is empty, not 404."""
    return db.paginate(
        query,
        page=page_arg() if page is None else min(max(page, 1), MAX_PAGE),
        per_page=per_page,
        max_per_page=per_page,
        error_out=False,
        count=True,
    )
