"""The estimator's public contract: scikit-learn conventions and a copy the app can change."""

import pytest
from sklearn.exceptions import NotFittedError

from matching import Matcher


def test_fitted_attributes_raise_before_fit():
    m = Matcher()
    for name in ("n_features_", "n_postings_", "n_intentions_"):
        with pytest.raises(NotFittedError):
            getattr(m, name)
    # a value derived from the parameters is not a fitted attribute: available before fit
    assert m.text_weight == pytest.approx(1 - (0.20 + 0.10 + 0.12 * 1.5 + 0.12 + 0.02))
    assert "text_weight" not in m.get_params()


def test_bad_weights_are_refused(postings):
    with pytest.raises(ValueError, match="sum to less than 1"):
        Matcher(title_weight=0.5, bonus_city=0.3).fit(postings)


def test_copy_can_change_while_the_original_keeps_ranking(postings, intention):
    m = Matcher().fit(postings[:4])
    before = [(x.posting_id, x.score) for x in m.rank(intention, top_k=None)]
    n_rules = len(m.rule_vocabulary_)
    new = m.copy()
    new.add_postings(postings[4:] + [dict(id="x", title="Java开发", city="新城市", majors=["新专业"])])
    new.remove_postings(["1"])
    new.add_intentions([intention])
    # the original is untouched: same ids, same rule vocabulary, same ranking
    assert m.posting_ids_ == ["1", "2", "3", "4"] and m.n_intentions_ == 0
    assert len(m.rule_vocabulary_) == n_rules
    assert [(x.posting_id, x.score) for x in m.rank(intention, top_k=None)] == before
    assert "1" not in new.posting_ids_ and "x" in new.posting_ids_ and new.n_intentions_ == 1
    assert [x.intention_id for x in new.rank_intentions(postings[1], top_k=3)] == ["g1"]
