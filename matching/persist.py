"""Saving and loading a fitted matcher: one zip file, no pickles (see docs/matching.md)."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import scipy.sparse as sp

from .records import Intention, Posting
from .vectorize import _analyzer_fingerprint

FORMAT_NAME = "recruit-matching-index"
FORMAT_VERSION = 2


class FormatError(ValueError):
    """A saved index has an unknown format or an unsupported version."""


class PersistMixin:
    """:meth:`save` and :meth:`load` for :class:`matching.Matcher`."""

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the fitted matcher to one file (a zip archive; see docs/matching.md).

        The archive holds ``meta.json`` (format name, version, parameters, vocabularies),
        ``postings.jsonl`` and ``intentions.jsonl`` (the records, for explanations) and
        ``arrays.npz`` (IDF and the sparse matrices; no pickles).
        """
        self._check_fitted()
        params = self.get_params()
        meta = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "params": params,
            "fingerprint": self.fingerprint_,
            "vocabulary": sorted(self.vocabulary_, key=self.vocabulary_.__getitem__),
            "rule_vocabulary": sorted(self.rule_vocabulary_, key=self.rule_vocabulary_.__getitem__),
        }
        arrays = io.BytesIO()
        np.savez(
            arrays,
            idf=self.idf_,
            P_data=self.posting_matrix_.data,
            P_indices=self.posting_matrix_.indices,
            P_indptr=self.posting_matrix_.indptr,
            I_data=self.intention_matrix_.data,
            I_indices=self.intention_matrix_.indices,
            I_indptr=self.intention_matrix_.indptr,
        )
        tmp = f"{os.fspath(path)}.tmp"
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("meta.json", json.dumps(meta, ensure_ascii=False))
            z.writestr(
                "postings.jsonl", "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in self.postings_)
            )
            z.writestr(
                "intentions.jsonl",
                "".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in self.intentions_),
            )
            z.writestr("arrays.npz", arrays.getvalue())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "PersistMixin":
        """Load a matcher saved by :meth:`save`.

        Raises
        ------
        FormatError
            If the file is not a matcher index, or has a version this library does not read, or
            was built with a different analyzer dictionary.
        """
        try:
            z = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise FormatError(f"{path}: not a matching index (not a zip archive)") from None
        with z:
            try:
                meta = json.loads(z.read("meta.json"))
            except KeyError:
                raise FormatError(f"{path}: not a matching index (no meta.json)") from None
            if meta.get("format") != FORMAT_NAME:
                raise FormatError(f"{path}: not a matching index (format {meta.get('format')!r})")
            if meta.get("version") != FORMAT_VERSION:
                raise FormatError(
                    f"{path}: index format version {meta.get('version')!r} is not supported "
                    f"(this library reads version {FORMAT_VERSION}); refit and save again"
                )
            m = cls(**meta["params"])
            if meta.get("fingerprint") != _analyzer_fingerprint(m.analyzer):
                raise FormatError(f"{path}: built with a different analyzer/dictionary; refit and save again")
            arr = np.load(io.BytesIO(z.read("arrays.npz")), allow_pickle=False)
            postings = [Posting.from_dict(json.loads(x)) for x in z.read("postings.jsonl").decode().splitlines() if x]
            intentions = [
                Intention.from_dict(json.loads(x)) for x in z.read("intentions.jsonl").decode().splitlines() if x
            ]
        m.vocabulary_ = {t: k for k, t in enumerate(meta["vocabulary"])}
        m.rule_vocabulary_ = {t: k for k, t in enumerate(meta["rule_vocabulary"])}
        m.idf_ = arr["idf"]
        m.fingerprint_ = meta["fingerprint"]
        nf = m.n_features_
        m.posting_matrix_ = sp.csr_matrix((arr["P_data"], arr["P_indices"], arr["P_indptr"]), shape=(len(postings), nf))
        m.intention_matrix_ = sp.csr_matrix(
            (arr["I_data"], arr["I_indices"], arr["I_indptr"]), shape=(len(intentions), nf)
        )
        m.postings_ = postings
        m.posting_ids_ = [p.id for p in postings]
        m.intentions_ = intentions
        m.intention_ids_ = [i.id for i in intentions]
        m._reindex()
        return m
