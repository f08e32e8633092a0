"""Explanations: the readable words a pair shares and the rules that fired, as reasons.

Every text is segmented once and reused (issue 18, part 3): the readable words of a field's text
(jieba, :func:`matching.text.display_words`) are cached by the text, since postings share titles
and descriptions and intentions share phrases; the words of an indexed record are cached by its
index; the feature ids of a word by the word. A pair then costs a dictionary intersection of the
two word lists and a few array look-ups into the two sparse rows, not a segmentation of both texts.

A word's contribution is the sum, over the features the analyzer makes of it, of
``q_f · p_f`` in the whole-text block plus the title block (the same term in both); the best
``n_terms`` words (none a substring of another already chosen) are reported with their spelling as
written. Without any shared word the shared features themselves are reported (e.g. a character),
so a match never comes without a visible reason.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping, Sequence

import numpy as np

from . import rules as R
from .reasons import Reason, band
from .records import Intention, Posting
from .text import display_words, feature_text, get_analyzer

__all__ = ["Match", "Explainer", "join_field", "POSTING_WORD_FIELDS", "INTENTION_WORD_FIELDS"]

#: The fields whose words a match may report, per side.
POSTING_WORD_FIELDS = ("title", "description", "industry", "majors")
INTENTION_WORD_FIELDS = ("positions", "skills", "industries", "major", "statement")
#: Field texts whose words are kept (a plain dict, emptied when full: the texts of one corpus
#: repeat, so it rarely fills).
_TEXT_CACHE_SIZE = 1 << 17
#: (intention texts, posting) pairs whose terms are kept per fitted state.
_TERMS_MEMO_SIZE = 1 << 18
#: A pair's shared terms and their reason (None without terms).
Terms = tuple[list[str], Reason | None]


@dataclass(frozen=True)
class Match:
    """One ranked result.

    Attributes
    ----------
    posting_id, intention_id : str
        The pair.
    score : float
        Final score in [0, 1].
    terms : list of str
        Readable shared words that contributed most to the text similarity, best first.
    rules : list of str
        Codes of the rules that fired (``"major"``, ``"city"``, ``"industry"``, ``"salary"``).
    reasons : list of Reason
        Codes plus data (:class:`matching.reasons.Reason`): the shared terms first, then the
        rules; the application renders them in the user's language.
    """

    posting_id: str
    intention_id: str
    score: float
    terms: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    @property
    def band(self) -> str:
        """``"strong"``, ``"good"`` or ``"fair"`` (:func:`matching.reasons.band`)."""
        return band(self.score)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (reasons as ``{"code": ..., **data}``)."""
        return {
            "posting_id": self.posting_id,
            "intention_id": self.intention_id,
            "score": self.score,
            "band": self.band,
            "terms": list(self.terms),
            "rules": list(self.rules),
            "reasons": [r.to_dict() for r in self.reasons],
        }


def join_field(v: Any) -> str:
    """A record field as one text (lists joined with 、)."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return "、".join(str(x) for x in v)


_text_words: dict[str, dict[str, str]] = {}


def text_words(text: str) -> dict[str, str]:
    """:func:`matching.text.display_words` of ``text``, segmented once per process."""
    got = _text_words.get(text)
    if got is None:
        got = display_words(text)
        if len(_text_words) >= _TEXT_CACHE_SIZE:
            _text_words.clear()
        _text_words[text] = got
    return got


class Words(dict):
    """A record's readable words (normalised word -> spelling as written), in text order."""

    __slots__ = ("_rank",)

    def rank(self) -> dict[str, int]:
        """Each word's position in the text (computed once)."""
        try:
            return self._rank
        except AttributeError:
            self._rank = {w: n for n, w in enumerate(self)}
            return self._rank


_NO_RANK: dict[str, int] = {}


def record_words(rec: Posting | Intention, fields: Sequence[str]) -> Words:
    """The readable words of a record's fields (first spelling wins, as if the fields were one
    text: segmentation never crosses the boundary between two fields)."""
    out = Words()
    for name in fields:
        text = join_field(getattr(rec, name, None))
        if text:
            for w, disp in text_words(text).items():
                out.setdefault(w, disp)
    return out


@lru_cache(maxsize=1 << 16)
def _analyze_word(analyzer: str, word: str) -> tuple[str, ...]:
    return tuple(sorted(set(get_analyzer(analyzer)(word))))


#: Feature indices of the n-th pair are shifted by n times this (more than any feature count), so
#: the rows of many pairs are looked up with one ``searchsorted``.
_PAIR_OFFSET = 1 << 32


def _stack(rows: Sequence[tuple[np.ndarray, np.ndarray]], off: int) -> tuple[np.ndarray, np.ndarray]:
    """Sparse rows concatenated, the n-th row's indices shifted by ``n * off`` (still sorted)."""
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    sizes = [len(r[0]) for r in rows]
    idx = np.concatenate([r[0] for r in rows]).astype(np.int64)
    idx += np.repeat(np.arange(len(rows), dtype=np.int64) * off, sizes)
    return idx, np.concatenate([r[1] for r in rows])


def _lookup(indices: np.ndarray, data: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Values of a sorted sparse row at ``keys`` (0 where absent)."""
    if not len(indices):
        return np.zeros(len(keys))
    pos = np.minimum(np.searchsorted(indices, keys), len(indices) - 1)
    return np.where(indices[pos] == keys, data[pos], 0.0)


class Explainer:
    """Builds explained :class:`Match` objects for one fitted state of a matcher.

    Thread-safe for readers: its caches are filled idempotently (two threads may compute the same
    entry; both results are equal).
    """

    def __init__(self, vocabulary: Mapping[str, int], analyzer: str, n_terms: int):
        self.vocabulary = vocabulary
        self.n_text = len(vocabulary)
        self.analyzer = analyzer
        self.n_terms = n_terms
        self._word_ids: dict[str, np.ndarray] = {}
        self._words: dict[tuple[str, int], dict[str, str]] = {}
        self._terms: list[str] | None = None
        self._terms_memo: dict[tuple[tuple[str, ...], int], Terms] = {}
        self._posting_sides: dict[int, R.PostingSide] = {}
        self._lock = threading.Lock()

    # -- words ------------------------------------------------------------------------
    def indexed_words(self, side: str, k: int, rec: Posting | Intention) -> dict[str, str]:
        """Words of indexed record ``k`` of ``side`` ("posting" or "intention"), cached."""
        key = (side, k)
        got = self._words.get(key)
        if got is None:
            got = self._words[key] = record_words(
                rec, POSTING_WORD_FIELDS if side == "posting" else INTENTION_WORD_FIELDS
            )
        return got

    def word_ids(self, word: str) -> np.ndarray:
        """The sorted text-feature ids the analyzer makes of ``word``."""
        got = self._word_ids.get(word)
        if got is None:
            get = self.vocabulary.get
            ids = [j for j in (get(t) for t in _analyze_word(self.analyzer, word)) if j is not None]
            got = self._word_ids[word] = np.asarray(sorted(ids), dtype=np.int64)
        return got

    def _term_list(self) -> list[str]:
        if self._terms is None:
            with self._lock:
                if self._terms is None:
                    self._terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return self._terms

    # -- terms ------------------------------------------------------------------------
    @staticmethod
    def text_key(i: Intention) -> tuple[str, ...]:
        """What an intention's text vector and words depend on (its rule fields do not matter)."""
        return tuple(join_field(getattr(i, name, None)) for name in INTENTION_WORD_FIELDS)

    def cached_terms(self, key: tuple[str, ...], postings: Sequence[int]) -> list[Terms | None]:
        """The terms already found for an intention with these texts (:meth:`text_key`) and these
        indexed postings (None where not yet): graduates often write the same things, and many of
        them share a posting in their top k."""
        get = self._terms_memo.get
        return [get((key, k)) for k in postings]

    def keep_terms(self, key: tuple[str, ...], posting: int, terms: list[str]) -> Terms:
        """Remember a :meth:`shared_terms` result (with its reason) for :meth:`cached_terms`."""
        if len(self._terms_memo) >= _TERMS_MEMO_SIZE:
            self._terms_memo.clear()
        got = self._terms_memo[(key, posting)] = (terms, _terms_reason(terms))
        return got

    def shared_terms(
        self,
        pairs: Sequence[
            tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], Mapping[str, str], Mapping[str, str]]
        ],
    ) -> list[list[str]]:
        """The best readable words each pair shares, by their contribution to ``q · p``.

        ``pairs`` holds ``(q, p, intention words, posting words)`` per pair, the vectors as (sorted
        feature indices, values). Everything but the word-list intersections and the final pick
        runs on arrays over all pairs at once: the features of every shared word are looked up in
        both vectors with one ``searchsorted`` per side, and the (pair, word) rows are ordered by
        (pair, contribution desc, length desc, position in the posting) with one ``lexsort``; a
        pair then keeps its first ``n_terms`` words that are not part of one already kept.
        """
        nt = self.n_text
        words: list[str] = []
        pair_sizes: list[int] = []
        ranks: list[int] = []
        for _q, _p, iwords, pwords in pairs:
            shared = iwords.keys() & pwords.keys()
            pair_sizes.append(len(shared))
            words.extend(shared)
            rank = pwords.rank() if isinstance(pwords, Words) else {w: n for n, w in enumerate(pwords)}
            ranks.extend(map(rank.__getitem__, shared))
        n_rows = len(words)
        if n_rows:
            known = self._word_ids.get
            id_arrays = [known(w) for w in words]
            for n, a in enumerate(id_arrays):
                if a is None:
                    id_arrays[n] = self.word_ids(words[n])
            word_sizes = list(map(len, id_arrays))
            flat = np.concatenate(id_arrays) if id_arrays else np.zeros(0, dtype=np.int64)
            pair_of_row = np.repeat(np.arange(len(pairs), dtype=np.int64), pair_sizes)
            text = flat + np.repeat(pair_of_row * _PAIR_OFFSET, word_sizes)
            title = text + nt  # the same term in the title block
            q_idx, q_val = _stack([q for q, _, _, _ in pairs], _PAIR_OFFSET)
            p_idx, p_val = _stack([p for _, p, _, _ in pairs], _PAIR_OFFSET)
            contrib = _lookup(q_idx, q_val, text) * _lookup(p_idx, p_val, text) + _lookup(
                q_idx, q_val, title
            ) * _lookup(p_idx, p_val, title)
            score = np.bincount(np.repeat(np.arange(n_rows), word_sizes), weights=contrib, minlength=n_rows)
            lengths = np.asarray(list(map(len, words)), dtype=np.int64)
            # equal scores and lengths: the posting's order (its words as written)
            order = np.lexsort((np.asarray(ranks, dtype=np.int64), -lengths, -score, pair_of_row)).tolist()
            positive = (score > 0).tolist()
        out: list[list[str]] = []
        at = 0
        n_terms = self.n_terms
        for (q, p, _iwords, pwords), size in zip(pairs, pair_sizes):
            terms: list[str] = []
            chosen: list[str] = []
            for j in order[at : at + size] if size else ():
                if not positive[j]:
                    break
                w = words[j]
                if any(w in c or c in w for c in chosen):
                    continue
                chosen.append(w)
                terms.append(pwords[w])
                if len(terms) >= n_terms:
                    break
            at += size
            out.append(terms if terms else self._shared_features(q, p))
        return out

    def _shared_features(self, q: tuple[np.ndarray, np.ndarray], p: tuple[np.ndarray, np.ndarray]) -> list[str]:
        """No shared word: the shared features themselves, best first."""
        nt = self.n_text
        common, qa, pa = np.intersect1d(q[0], p[0], assume_unique=True, return_indices=True)
        keep = common < 2 * nt
        if not keep.any():
            return []
        pc: dict[int, float] = {}
        for j, v in zip((common[keep] % nt).tolist(), (q[1][qa[keep]] * p[1][pa[keep]]).tolist()):
            pc[j] = pc.get(j, 0.0) + v
        terms = self._term_list()
        frag = sorted(pc.items(), key=lambda kv: -kv[1])[: self.n_terms]
        return [feature_text(terms[j]) for j, v in frag if v > 0]

    # -- matches ----------------------------------------------------------------------
    def matches(
        self,
        i: Intention,
        ks: Sequence[int],
        postings: Sequence[Posting],
        scores: Sequence[float],
        terms: Sequence[Terms],
    ) -> list[Match]:
        """Explained matches of intention ``i`` with indexed postings ``ks``: the shared terms
        (with their reason, as :meth:`keep_terms` made them), then the rules that fired."""
        side = R.intention_side(i)
        sides = self._posting_sides
        fired_of = R.fired
        out = []
        for k, score, (t, reason) in zip(ks, scores, terms):
            p = postings[k]
            ps = sides.get(k)
            if ps is None:
                ps = sides[k] = R.posting_side(p)
            out.append(_explained(p, i, score, t, reason, fired_of(ps, side)))
        return out

    def match(self, i: Intention, p: Posting, score: float, terms: list[str]) -> Match:
        """An explained match of two records: the shared terms, then the rules that fired."""
        return _explained(p, i, score, terms, _terms_reason(terms), R.fired_rules(p, i))


def _terms_reason(terms: list[str]) -> Reason | None:
    """The ``terms`` reason of a pair's shared words (None without any)."""
    return Reason("terms", {"terms": tuple(terms)}) if terms else None


def _explained(
    p: Posting, i: Intention, score: float, terms: list[str], terms_reason: Reason | None, fired: list[Reason]
) -> Match:
    """A match with its reasons: the shared terms first, then the rules that fired."""
    return Match(p.id, i.id, score, terms, [r.code for r in fired], [terms_reason, *fired] if terms_reason else fired)
