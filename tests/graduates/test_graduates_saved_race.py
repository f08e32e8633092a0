"""Saving a posting or fair twice at the same moment (a double click, two tabs) is not an error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.graduates import services
from recruit.graduates.models import SavedFair, SavedPosting


def _lose_the_race(monkeypatch, model, values: dict) -> None:
    """The service's first look finds no row; a simultaneous request inserts it right after."""
    real_get = db.session.get
    state = {"first": True}

    def get(entity, ident, *args, **kwargs):
        if entity is model and state["first"]:
            state["first"] = False
            with db.engine.begin() as conn:
                conn.execute(sa.insert(model).values(**values))
            return None
        return real_get(entity, ident, *args, **kwargs)

    monkeypatch.setattr(db.session, "get", get)


@pytest.mark.parametrize("what", ["posting", "fair"])
def test_the_loser_of_a_simultaneous_save_finds_it_saved(monkeypatch, make_graduate, make_posting, make_fair, what):
    graduate = make_graduate()
    if what == "posting":
        target, model, save = make_posting(), SavedPosting, services.set_saved_posting
        values = {"graduate_id": graduate.id, "posting_id": target.id}
    else:
        target, model, save = make_fair(), SavedFair, services.set_saved_fair
        values = {"graduate_id": graduate.id, "fair_id": target.id}
    graduate_id, target_id = graduate.id, target.id
    _lose_the_race(monkeypatch, model, values)
    save(graduate, target_id, True)
    monkeypatch.undo()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.graduate_id == graduate_id)) == 1
