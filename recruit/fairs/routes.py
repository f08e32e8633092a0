"""Routes of the fairs domain."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("fairs", __name__, url_prefix="/fairs")
