"""Routes of the jobs domain."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
