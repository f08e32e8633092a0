"""Organizers' pages: imports and exports, supply and demand by major, key-group case records."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("organizer", __name__, url_prefix="/org")
